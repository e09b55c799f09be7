using System.Globalization;
using CouponDesk.Data;
using CouponDesk.Features.Alerts;
using CouponDesk.Features.Campaigns;
using CouponDesk.Features.Coupons;
using CouponDesk.Features.Pipeline.Leases;
using CouponDesk.Hosting.Liveness;
using CouponDesk.Integrations.Coufun;
using CouponDesk.Shared.Text;
using Dapper;

namespace CouponDesk.Features.Pipeline.Cancels;

/// <summary>
/// Cancels campaign coupons at COUFUN and follows up the ones that fail (spec §4.1 C13, §5.8 "Cancel follow-up").
/// Every coupon to cancel gets a <c>coupon_cancels</c> row; a step (a) cancels the items a CANCELLING campaign still
/// holds unsent (items released by in-flight orders after the cancel), (b) adds a row for every cancelled item whose
/// coupon is unused, and (c) calls COUFUN for the rows that are due, claimed with <c>SKIP LOCKED</c> + lease so no two
/// workers call for one coupon at once. A success — or "already cancelled" (18) — is DONE and the coupon CANCELLED; a
/// refusal (used, expired) is REFUSED; any other failure is retried every <see cref="CouponCancelOptions.RetrySeconds"/>
/// until <see cref="CouponCancelOptions.GiveUpSeconds"/> after the first attempt, then GAVE_UP: listed for an ADMIN and
/// alerted. REFUSED and GAVE_UP rows no longer hold the campaign in CANCELLING.
/// </summary>
public sealed class CouponCancellations(
    DbConnectionFactory connections,
    CoufunClient coufun,
    CouponRepository coupons,
    IOperationsAlerts alerts,
    CouponCancelOptions options,
    PipelineOptions pipeline,
    ProcessIdentity identity,
    TimeProvider time,
    ILogger<CouponCancellations> logger)
{
    public const string GaveUpAlertKind = "coupon.cancel-failed";

    private sealed record Due(long CouponId, long? CampaignId, string GoodsId, int Attempts, DateTime? FirstAttemptAt);

    /// <summary>One pass of the worker loop: cancel what CANCELLING campaigns still hold, add rows, call the due ones.</summary>
    public async Task<int> StepAsync(CancellationToken ct)
    {
        var now = time.GetUtcNow().UtcDateTime;
        await using (var c = await connections.OpenAsync(ct))
        {
            // A plain read first: the two statements below read campaigns with shared locks, which queued behind the
            // planner's FOR UPDATE on the running campaign every poll and made its SKIP LOCKED skip it (D-PIPE-20).
            if (await c.ExecuteScalarAsync<int>(new CommandDefinition($"SELECT COUNT(*) FROM campaigns WHERE status = '{CampaignStatus.Cancelling}'", cancellationToken: ct)) == 0)
            {
                return await AttemptDueAsync(null, ct);
            }

            await DeliveryItemTransitions.CancelLeftOfCancellingAsync(c, now, ct);
            await c.ExecuteAsync(new CommandDefinition(
                $"""
                INSERT IGNORE INTO coupon_cancels (coupon_id, campaign_id, item_id, source, state, next_attempt_at, created_at, updated_at)
                SELECT d.coupon_id, d.campaign_id, d.id, @source, '{CouponCancelState.Pending}', @now, @now, @now
                FROM delivery_items d JOIN campaigns cp ON cp.id = d.campaign_id JOIN coupons k ON k.id = d.coupon_id
                WHERE cp.status = '{CampaignStatus.Cancelling}' AND d.status = '{ItemStatus.Cancelled}' AND k.status = '{CouponStatus.Unused}'
                  AND NOT EXISTS (SELECT 1 FROM coupon_cancels x WHERE x.coupon_id = d.coupon_id)
                """, new { now, source = CouponCancelSource.CampaignCancel }, cancellationToken: ct));
        }

        return await AttemptDueAsync(null, ct);
    }

    /// <summary>
    /// Records a cancel that C/S made itself (쿠폰폐기, 번호변경) in the caller's transaction, so every COUFUN cancel is in
    /// one table: DONE (or REFUSED) when the inline call settled it, RETRY when it failed transiently — then the follow-up
    /// above calls again every <see cref="CouponCancelOptions.RetrySeconds"/> like any other cancel (spec §5.8 "failed C/S cancels").
    /// </summary>
    public async Task RecordCustomerServiceAsync(
        MySqlConnector.MySqlConnection c, MySqlConnector.MySqlTransaction tx, long couponId, long campaignId, long itemId, string state, CoufunResult<CoufunCancelled> result, CancellationToken ct)
    {
        var now = time.GetUtcNow().UtcDateTime;
        var error = result.Failure ?? (result.ResultCode is null ? null : $"{result.ResultCode} {result.ResultMessage}");
        await c.ExecuteAsync(new CommandDefinition(
            """
            INSERT INTO coupon_cancels (coupon_id, campaign_id, item_id, source, state, attempts, next_attempt_at, last_code, last_error, created_at, first_attempt_at, last_attempt_at, finished_at, updated_at)
            VALUES (@couponId, @campaignId, @itemId, @source, @state, 1, @next, @code, @error, @now, @now, @now, @finished, @now)
            ON DUPLICATE KEY UPDATE source = @source, state = @state, attempts = attempts + 1, next_attempt_at = @next, last_code = @code, last_error = @error,
              first_attempt_at = @now, last_attempt_at = @now, finished_at = @finished, lease_token = NULL, lease_until = NULL, updated_at = @now
            """,
            new
            {
                couponId,
                campaignId,
                itemId,
                source = CouponCancelSource.CustomerService,
                state,
                now,
                code = result.ResultCode,
                error = Truncation.Truncate(error, 300),
                next = state == CouponCancelState.Retry ? now.AddSeconds(options.RetrySeconds) : now,
                finished = state == CouponCancelState.Retry ? (DateTime?)null : now,
            }, tx, cancellationToken: ct));
    }

    /// <summary>Calls COUFUN for the due rows (of one campaign, or of all); returns how many were called.</summary>
    public async Task<int> AttemptDueAsync(long? campaignId, CancellationToken ct)
    {
        var now = time.GetUtcNow().UtcDateTime;
        LeaseClaimed<Due> claim;
        await using (var c = await connections.OpenAsync(ct))
        {
            // Read after the claim commits, by our token (D-PIPE-20, LeaseClaim).
            claim = await LeaseClaim.ClaimAsync<Due>(c, identity, LeaseTable.CouponCancels,
                $"""
                SELECT coupon_id FROM coupon_cancels
                WHERE state IN ('{CouponCancelState.Pending}', '{CouponCancelState.Retry}') AND next_attempt_at <= @now AND (lease_until IS NULL OR lease_until < @now)
                  AND (@campaignId IS NULL OR campaign_id = @campaignId)
                ORDER BY next_attempt_at LIMIT @batch FOR UPDATE SKIP LOCKED
                """, new { now, campaignId, batch = options.BatchSize },
                """
                SELECT x.coupon_id AS CouponId, x.campaign_id AS CampaignId, k.goods_id AS GoodsId, x.attempts AS Attempts, x.first_attempt_at AS FirstAttemptAt
                FROM coupon_cancels x JOIN coupons k ON k.id = x.coupon_id WHERE x.coupon_id IN @ids AND x.lease_token = @token
                """, now.AddSeconds(pipeline.LeaseSeconds), ct);
        }

        var token = claim.Token;
        var due = claim.Work;
        var gaveUp = new List<Due>();
        foreach (var row in due)
        {
            if (await AttemptAsync(row, token, ct) == CouponCancelState.GaveUp)
            {
                gaveUp.Add(row);
            }
        }

        foreach (var campaign in gaveUp.GroupBy(g => g.CampaignId))
        {
            await alerts.RaiseAsync(new OperationsAlert(GaveUpAlertKind,
                string.Create(CultureInfo.InvariantCulture,
                    $"{(campaign.Key is { } id ? $"캠페인 {id}의 " : "")}쿠폰 {campaign.Count()}건을 공급사(COUFUN)에서 취소하지 못했습니다. 재시도 기간이 지나 자동 재시도를 멈췄으니 공급사와 확인해 주세요."),
                AlertSeverity.Critical, campaign.Key is { } cid ? string.Create(CultureInfo.InvariantCulture, $"campaign:{cid}") : "coupons"), ct);
        }

        return due.Count;
    }

    private async Task<string> AttemptAsync(Due row, string token, CancellationToken ct)
    {
        var number = await coupons.RevealNumberAsync(row.CouponId, ct);
        var result = number is null ? null : await coufun.CancelAsync(row.GoodsId, number, ct);
        var now = time.GetUtcNow().UtcDateTime;
        var first = row.FirstAttemptAt ?? now;
        var state = result?.Outcome switch
        {
            CoufunOutcome.Success => CouponCancelState.Done,
            CoufunOutcome.Rejected => CouponCancelState.Refused,
            _ when now - first >= TimeSpan.FromSeconds(options.GiveUpSeconds) => CouponCancelState.GaveUp,
            _ => CouponCancelState.Retry,
        };
        var error = result is null ? "coupon number not found" : result.Failure ?? (result.ResultCode is null ? null : $"{result.ResultCode} {result.ResultMessage}");
        // The outcome is written in a short transaction guarded by our lease token; a deadlock victim is run again
        // rather than losing what COUFUN answered.
        await DeadlockRetry.RunAsync(async () =>
        {
            await using var c = await connections.OpenAsync(ct);
            await using var tx = await c.BeginTransactionAsync(ct);
            var mine = await c.ExecuteAsync(new CommandDefinition(
                $"""
                UPDATE coupon_cancels SET state = @state, attempts = attempts + 1, first_attempt_at = COALESCE(first_attempt_at, @now), last_attempt_at = @now,
                  next_attempt_at = IF(@state = '{CouponCancelState.Retry}', DATE_ADD(@now, INTERVAL @retry SECOND), next_attempt_at), last_code = @code, last_error = @error,
                  finished_at = IF(@state = '{CouponCancelState.Retry}', NULL, @now), lease_token = NULL, lease_until = NULL, updated_at = @now
                WHERE coupon_id = @id AND lease_token = @token
                """, new { state, now, retry = options.RetrySeconds, code = result?.ResultCode, error = Truncation.Truncate(error, 300), id = row.CouponId, token }, tx, cancellationToken: ct));
            if (mine == 1 && state == CouponCancelState.Done && await coupons.LockAsync(c, tx, row.CouponId, ct) is { Status: not CouponStatus.Cancelled } before)
            {
                await CouponTransitions.CancelledAsync(c, tx, before, CouponStatusSource.System, "취소 후속 처리 (COUFUN 취소 완료)", now, ct);
            }
            else if (mine == 1 && state == CouponCancelState.Refused)
            {
                // Refused (used, expired): COUFUN's manual asks to confirm the state with a status read (§5.2); the follow-up reads it.
                await c.ExecuteAsync(new CommandDefinition(
                    "UPDATE coupons SET status_check_due_at = @now WHERE id = @id", new { id = row.CouponId, now }, tx, cancellationToken: ct));
            }

            await tx.CommitAsync(ct);
            return 0;
        }, logger, "coupon cancel outcome");

        if (state != CouponCancelState.Done)
        {
            logger.LogWarning("Cancelling coupon {CouponId} at COUFUN: {State} after {Attempts} attempts ({Outcome} {Code})",
                row.CouponId, state, row.Attempts + 1, result?.Outcome, result?.ResultCode);
        }

        return state;
    }
}
