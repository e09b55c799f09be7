using System.Globalization;
using CouponDesk.Data;
using CouponDesk.Features.Audit;
using CouponDesk.Features.Campaigns;
using CouponDesk.Features.Coupons;
using CouponDesk.Shared.Time;
using CouponDesk.Web.Errors;
using Dapper;

namespace CouponDesk.Features.Pipeline.Cancels;

/// <summary>
/// Where a 미사용 쿠폰 일괄 폐기 stands: RUNNING while COUFUN cancels are still being tried, then COMPLETED (every coupon
/// cancelled), PARTIALLY_FAILED (some refused or given up — listed in 공급사 취소 실패) or FAILED (none cancelled).
/// </summary>
public sealed record DiscardUnusedResult(string State, int Total, int Cancelled, int Failed, int Pending)
{
    public const string StateRunning = "RUNNING";
    public const string StateCompleted = "COMPLETED";
    public const string StatePartiallyFailed = "PARTIALLY_FAILED";
    public const string StateFailed = "FAILED";

    public static DiscardUnusedResult From(int cancelled, int failed, int pending) => new(
        pending > 0 ? StateRunning : failed == 0 ? StateCompleted : cancelled == 0 ? StateFailed : StatePartiallyFailed,
        cancelled + failed + pending, cancelled, failed, pending);
}

/// <summary>
/// 미사용 쿠폰 일괄 폐기 (spec P9, §3.3.3): an ADMIN, on a finished campaign (COMPLETED / PARTIALLY_FAILED / FAILED), typing
/// the event name to confirm, cancels every coupon of the campaign we hold UNUSED and within its validity at COUFUN.
/// One transaction adds a <c>coupon_cancels</c> row per coupon (source BULK_DISCARD; a cancel given up before is started
/// again) and the audit row; a refusal changes nothing. The cancels then go through the existing follow-up
/// (<see cref="CouponCancellations"/>: retried every 10 minutes for 24 hours, refusals and give-ups listed in 공급사 취소
/// 실패): the request makes the first attempts itself for a few seconds and answers with the counts so far; the rest
/// continue in the worker and <see cref="StatusAsync"/> reports them.
/// </summary>
public sealed class DiscardUnused(DbConnectionFactory connections, CouponCancellations cancellations, AuditTrail audit, TimeProvider time, ILogger<DiscardUnused> logger)
{
    public const string AuditAction = "campaign.discard-unused";

    /// <summary>How long the request itself calls COUFUN before answering (the worker continues).</summary>
    public static readonly TimeSpan InlineBudget = TimeSpan.FromSeconds(10);

    private static readonly string[] Finished = [CampaignStatus.Completed, CampaignStatus.PartiallyFailed, CampaignStatus.Failed];

    public async Task<Outcome<DiscardUnusedResult>> DiscardAsync(long id, string typedEventName, AuditActor actor, CancellationToken ct)
    {
        var now = time.GetUtcNow().UtcDateTime;
        var today = DateOnly.FromDateTime(Kst.Now(time)).ToDateTime(TimeOnly.MinValue);
        var refusal = await DeadlockRetry.RunAsync<Refusal?>(async () =>
        {
            await using var c = await connections.OpenAsync(ct);
            await using var tx = await c.BeginTransactionAsync(ct);
            var found = await c.QuerySingleOrDefaultAsync<(string? Status, string? EventName)>(new CommandDefinition(
                "SELECT status, event_name FROM campaigns WHERE id = @id AND deleted_at IS NULL FOR UPDATE", new { id }, tx, cancellationToken: ct));
            if (found.Status is null)
            {
                return Refusal.NotFound();
            }

            if (Refused(found.Status, found.EventName, typedEventName) is { } no)
            {
                return no;
            }

            var p = new { id, now, today, unused = CouponStatus.Unused, source = CouponCancelSource.BulkDiscard };
            // The campaign's coupons we hold UNUSED and unexpired; a cancel given up before starts again with a fresh window.
            const string UnusedCoupons = """
                SELECT DISTINCT d.coupon_id FROM delivery_items d JOIN coupons k ON k.id = d.coupon_id
                WHERE d.campaign_id = @id AND k.status = @unused AND k.valid_until >= @today
                """;
            var restarted = await c.ExecuteAsync(new CommandDefinition(
                $"""
                UPDATE coupon_cancels SET source = @source, campaign_id = @id, state = '{CouponCancelState.Pending}', next_attempt_at = @now, first_attempt_at = NULL,
                  finished_at = NULL, lease_token = NULL, lease_until = NULL, updated_at = @now
                WHERE state = '{CouponCancelState.GaveUp}' AND coupon_id IN (SELECT coupon_id FROM ({UnusedCoupons}) AS u)
                """, p, tx, cancellationToken: ct));
            var added = await c.ExecuteAsync(new CommandDefinition(
                $"""
                INSERT IGNORE INTO coupon_cancels (coupon_id, campaign_id, item_id, source, state, next_attempt_at, created_at, updated_at)
                SELECT u.coupon_id, @id, (SELECT MIN(x.id) FROM delivery_items x WHERE x.coupon_id = u.coupon_id AND x.campaign_id = @id), @source, '{CouponCancelState.Pending}', @now, @now, @now
                FROM ({UnusedCoupons}) AS u
                """, p, tx, cancellationToken: ct));
            if (added + restarted == 0)
            {
                return Refusal.Conflict("NO_UNUSED_COUPONS", "폐기할 미사용 쿠폰이 없습니다 (교환, 폐기, 만료되었거나 이미 폐기 요청된 쿠폰만 있습니다).");
            }

            await audit.WriteAsync(actor.Entry(AuditAction) with
            {
                TargetType = "campaign",
                TargetId = id.ToString(CultureInfo.InvariantCulture),
                Details = new Dictionary<string, string?>
                {
                    ["campaignStatus"] = found.Status,
                    ["couponsToCancel"] = (added + restarted).ToString(CultureInfo.InvariantCulture),
                    ["restartedAfterGiveUp"] = restarted.ToString(CultureInfo.InvariantCulture),
                },
            }, c, tx, ct);
            await tx.CommitAsync(ct);
            logger.LogInformation("Campaign {CampaignId}: bulk discard of {Count} unused coupons requested", id, added + restarted);
            return null;
        }, logger, "discard-unused");
        if (refusal is not null)
        {
            return refusal;
        }

        // The first attempts now, so the answer can say how it went; whatever is left is followed up by the worker.
        var started = time.GetTimestamp();
        while (time.GetElapsedTime(started) < InlineBudget && await cancellations.AttemptDueAsync(id, ct) > 0)
        {
        }

        return (await StatusAsync(id, ct))!;
    }

    /// <summary>Why the campaign's unused coupons cannot be discarded (not finished, or the typed name is not its own), or null.</summary>
    public static Refusal? Refused(string status, string? eventName, string typedEventName)
    {
        if (!Finished.Contains(status))
        {
            return Refusal.Conflict("CAMPAIGN_NOT_FINISHED", "미사용 쿠폰 일괄 폐기는 발송이 끝난 캠페인(완료, 부분오류, 실패)에서만 할 수 있습니다.");
        }

        return string.Equals(typedEventName, eventName, StringComparison.Ordinal)
            ? null
            : Refusal.Invalid(new Dictionary<string, string[]> { ["eventName"] = ["이벤트명이 일치하지 않습니다. 확인을 위해 이벤트명을 정확히 입력해 주세요."] });
    }

    /// <summary>The counts of the campaign's bulk discard so far, or null when none was requested.</summary>
    public async Task<DiscardUnusedResult?> StatusAsync(long id, CancellationToken ct)
    {
        await using var c = await connections.OpenAsync(ct);
        var states = (await c.QueryAsync<(string State, int Count)>(new CommandDefinition(
            "SELECT state, COUNT(*) FROM coupon_cancels WHERE campaign_id = @id AND source = @source GROUP BY state",
            new { id, source = CouponCancelSource.BulkDiscard }, cancellationToken: ct))).ToDictionary(s => s.State, s => s.Count);
        if (states.Count == 0)
        {
            return null;
        }

        return DiscardUnusedResult.From(
            states.GetValueOrDefault(CouponCancelState.Done),
            states.GetValueOrDefault(CouponCancelState.Refused) + states.GetValueOrDefault(CouponCancelState.GaveUp),
            states.GetValueOrDefault(CouponCancelState.Pending) + states.GetValueOrDefault(CouponCancelState.Retry));
    }
}
