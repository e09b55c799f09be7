using System.Globalization;
using CouponDesk.Data;
using CouponDesk.Features.Audit;
using CouponDesk.Features.Coupons;
using CouponDesk.Features.Pipeline.Cancels;
using Dapper;

namespace CouponDesk.Features.Reconciliation;

public enum CouponCancelOutcome
{
    Done,
    NotFound,
    WrongState,
}

public sealed record CouponCancelActionResult(CouponCancelOutcome Outcome, CouponCancelItem? Item = null);

/// <summary>
/// What an ADMIN does with a coupon cancel that needs a person. Each action locks the row, checks its state and writes
/// the change and its audit row in one transaction, so a rejected or repeated request changes nothing.
/// <list type="bullet">
/// <item>Retry (GAVE_UP only): back to RETRY, due now, with a fresh follow-up window — <see cref="CouponCancellations"/>
/// measures the window from <c>first_attempt_at</c>, so that is set to now (the original time stays in the audit row;
/// D-RECON-6). The workers then call COUFUN again and give up again only after another full window.</item>
/// <item>Resolve (GAVE_UP or REFUSED): the ADMIN settled it with the supplier by other means; DONE with who, when and
/// why. A coupon our records still hold as UNUSED becomes CANCELLED, so it no longer counts as a live coupon and a
/// CANCELLING campaign can finish (D-RECON-7).</item>
/// </list>
/// </summary>
public sealed class CouponCancelActions(DbConnectionFactory connections, AuditTrail audit, CouponCancelQueries queries, TimeProvider time)
{
    public const string RetriedAction = "coupon_cancel.retried";
    public const string ResolvedAction = "coupon_cancel.resolved";

    private sealed record Locked(string State, long? CampaignId, int Attempts, DateTime? FirstAttemptAt, string? LastCode);

    public Task<CouponCancelActionResult> RetryAsync(long couponId, string reason, AuditActor actor, CancellationToken ct) =>
        ActAsync(couponId, reason, actor, RetriedAction, [CouponCancelState.GaveUp], (c, tx, now) => c.ExecuteAsync(new CommandDefinition(
            $"""
            UPDATE coupon_cancels SET state = '{CouponCancelState.Retry}', next_attempt_at = @now, first_attempt_at = @now, finished_at = NULL, lease_token = NULL, lease_until = NULL,
              manual_retries = manual_retries + 1, updated_at = @now
            WHERE coupon_id = @couponId AND state = '{CouponCancelState.GaveUp}'
            """, new { couponId, now }, tx, cancellationToken: ct)), ct);

    public Task<CouponCancelActionResult> ResolveAsync(long couponId, string reason, AuditActor actor, CancellationToken ct) =>
        ActAsync(couponId, reason, actor, ResolvedAction, [CouponCancelState.GaveUp, CouponCancelState.Refused], async (c, tx, now) =>
        {
            await c.ExecuteAsync(new CommandDefinition(
                $"""
                UPDATE coupon_cancels SET state = '{CouponCancelState.Done}', resolved_by = @by, resolved_at = @now, resolved_reason = @reason, finished_at = @now,
                  lease_token = NULL, lease_until = NULL, updated_at = @now
                WHERE coupon_id = @couponId AND state IN ('{CouponCancelState.GaveUp}', '{CouponCancelState.Refused}')
                """, new { couponId, now, by = actor.UserId, reason }, tx, cancellationToken: ct));
            return await CouponTransitions.CancelledByPersonAsync(c, tx, couponId, now, ct);
        }, ct);

    /// <summary>One transaction: lock the row, check its state, change it, write the audit row; a refusal changes nothing.</summary>
    private Task<CouponCancelActionResult> ActAsync(
        long couponId, string reason, AuditActor actor, string action, string[] allowedStates,
        Func<MySqlConnector.MySqlConnection, MySqlConnector.MySqlTransaction, DateTime, Task<int>> change, CancellationToken ct) =>
        DeadlockRetry.RunAsync(() => ActOnceAsync(couponId, reason, actor, action, allowedStates, change, ct), "coupon cancel action");

    private async Task<CouponCancelActionResult> ActOnceAsync(
        long couponId, string reason, AuditActor actor, string action, string[] allowedStates,
        Func<MySqlConnector.MySqlConnection, MySqlConnector.MySqlTransaction, DateTime, Task<int>> change, CancellationToken ct)
    {
        var now = time.GetUtcNow().UtcDateTime;
        await using var c = await connections.OpenAsync(ct);
        await using var tx = await c.BeginTransactionAsync(ct);
        var row = await LockAsync(c, tx, couponId, ct);
        if (row is null)
        {
            return new CouponCancelActionResult(CouponCancelOutcome.NotFound);
        }

        if (!allowedStates.Contains(row.State))
        {
            return new CouponCancelActionResult(CouponCancelOutcome.WrongState, await queries.GetAsync(couponId, ct));
        }

        await change(c, tx, now);
        await audit.WriteAsync(Entry(actor, action, couponId, reason, row), c, tx, ct);
        await tx.CommitAsync(ct);
        return new CouponCancelActionResult(CouponCancelOutcome.Done, await queries.GetAsync(couponId, ct));
    }

    private static Task<Locked?> LockAsync(MySqlConnector.MySqlConnection c, MySqlConnector.MySqlTransaction tx, long couponId, CancellationToken ct) =>
        c.QuerySingleOrDefaultAsync<Locked?>(new CommandDefinition(
            """
            SELECT state AS State, campaign_id AS CampaignId, attempts AS Attempts, first_attempt_at AS FirstAttemptAt, last_code AS LastCode
            FROM coupon_cancels WHERE coupon_id = @couponId FOR UPDATE
            """, new { couponId }, tx, cancellationToken: ct));

    private static AuditEntry Entry(AuditActor actor, string action, long couponId, string reason, Locked row) => actor.Entry(action) with
    {
        TargetType = "coupon",
        TargetId = couponId.ToString(CultureInfo.InvariantCulture),
        Subject = row.CampaignId is { } id ? string.Create(CultureInfo.InvariantCulture, $"campaign:{id}") : null,
        Reason = reason,
        Details = new Dictionary<string, string?>
        {
            ["previousState"] = row.State,
            ["attempts"] = row.Attempts.ToString(CultureInfo.InvariantCulture),
            ["firstAttemptAt"] = row.FirstAttemptAt?.ToString("O", CultureInfo.InvariantCulture),
            ["lastCode"] = row.LastCode,
        },
    };
}
