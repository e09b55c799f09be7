using System.Globalization;
using CouponDesk.Data;
using CouponDesk.Features.Audit;
using CouponDesk.Features.Campaigns;
using CouponDesk.Features.Coupons;
using CouponDesk.Features.Messages;
using CouponDesk.Web.Errors;
using Dapper;

namespace CouponDesk.Features.Pipeline.Cancels;

/// <summary>What 미발송분 취소 did (the endpoint's 200 answer).</summary>
public sealed record CancelUnsentResult(int CancelledItems, int CouponsCancelled, int CouponCancelsPending);

/// <summary>
/// 미발송분 취소 (spec §4.1 C12, §3.3.3): a PAUSED or ERROR campaign whose sending has begun (a message reached the agent)
/// cancels every item never handed to the agent — withdraws its <c>ready</c> rows, PENDING / ISSUED / planned items and
/// withdrawn QUEUED items become CANCELLED (spec D12), automatic resends still due are dropped — and goes to CANCELLING. One
/// transaction with the audit row last; a refusal changes nothing. Then the coupons of the cancelled items are cancelled at
/// COUFUN at once (rows in <c>coupon_cancels</c>; failures are followed up by <see cref="CouponCancellations"/>), and the
/// lifecycle computes the final state over the items that were not cancelled once their results are in (C13b).
/// </summary>
public sealed class CancelUnsent(
    DbConnectionFactory connections,
    SnapMessageCanceller canceller,
    CouponCancellations cancellations,
    AuditTrail audit,
    CouponCancelOptions options,
    TimeProvider time,
    ILogger<CancelUnsent> logger)
{
    public async Task<Outcome<CancelUnsentResult>> CancelAsync(long id, string reason, AuditActor actor, CancellationToken ct)
    {
        var now = time.GetUtcNow().UtcDateTime;
        var cancelled = 0;
        long[] couponIds = [];
        // A worker claiming the same items can make this transaction a deadlock victim; it is then run again whole.
        var refusal = await DeadlockRetry.RunAsync<Refusal?>(async () =>
        {
            await using var c = await connections.OpenAsync(ct);
            await using var tx = await c.BeginTransactionAsync(ct);
            var status = await c.ExecuteScalarAsync<string?>(new CommandDefinition(
                "SELECT status FROM campaigns WHERE id = @id AND deleted_at IS NULL FOR UPDATE", new { id }, tx, cancellationToken: ct));
            if (status is null)
            {
                return Refusal.NotFound();
            }

            if (status is not (CampaignStatus.Paused or CampaignStatus.Error))
            {
                return Refusal.Conflict("CAMPAIGN_NOT_STOPPED", "미발송분 취소는 일시정지 또는 오류 상태에서만 할 수 있습니다. 먼저 발송을 일시정지해 주세요.");
            }

            // Only stopped campaigns get here, so no render batch can pass the gate; locked anyway, like every stop (D-PIPE-24).
            await CampaignRunGate.CloseAsync(c, tx, id, ct);
            var taken = await c.ExecuteScalarAsync<int>(new CommandDefinition(
                $"SELECT COUNT(*) FROM messages WHERE campaign_id = @id AND status NOT IN ('{MessageStatus.Ready}', '{MessageStatus.Withdrawn}')", new { id }, tx, cancellationToken: ct));
            if (taken == 0)
            {
                return Refusal.Conflict("SENDING_NOT_STARTED", "아직 통신사로 넘어간 메시지가 없습니다. 미발송분 취소 대신 일괄취소를 이용해 주세요.");
            }

            // Unsent items first, then the ready rows: a render batch committing in between (it holds the item locks, so the
            // UPDATE waits for it) has queued its items by then, and the locking read of the withdrawal sees them.
            // Orders never called buy nothing: they fail here and their items are cancelled (as C11 does).
            cancelled = await DeliveryItemTransitions.CancelUnsentAsync(c, tx, id, now, ct);
            await IssuanceOrderTransitions.FailPlannedAsync(c, tx, id, now, ct);
            var (withdrawnItems, bestEffortItems) = await WithdrawReadyAsync(c, tx, id, now, ct);
            cancelled += withdrawnItems;
            var droppedResends = await DeliveryItemTransitions.DropDueResendsAsync(c, tx, id, now, ct);
            await c.ExecuteAsync(new CommandDefinition(
                $"""
                INSERT IGNORE INTO coupon_cancels (coupon_id, campaign_id, item_id, source, state, next_attempt_at, created_at, updated_at)
                SELECT d.coupon_id, d.campaign_id, d.id, @source, '{CouponCancelState.Pending}', IF(d.id IN @bestEffort, @later, @now), @now, @now
                FROM delivery_items d JOIN coupons k ON k.id = d.coupon_id
                WHERE d.campaign_id = @id AND d.status = '{ItemStatus.Cancelled}' AND k.status = '{CouponStatus.Unused}'
                """, new { id, now, later = now.AddSeconds(options.BestEffortGraceSeconds), bestEffort = bestEffortItems.DefaultIfEmpty(0).ToArray(), source = CouponCancelSource.PartialCancel },
                tx, cancellationToken: ct));
            couponIds = (await c.QueryAsync<long>(new CommandDefinition(
                $"SELECT coupon_id FROM coupon_cancels WHERE campaign_id = @id AND state IN ('{CouponCancelState.Pending}', '{CouponCancelState.Retry}')", new { id }, tx, cancellationToken: ct))).ToArray();
            await CampaignTransitions.CancelUnsentAsync(c, tx, id, status, reason, actor.UserId, now, ct);
            await audit.WriteAsync(actor.Entry("campaign.cancel-unsent") with
            {
                TargetType = "campaign",
                TargetId = id.ToString(CultureInfo.InvariantCulture),
                Reason = reason,
                Details = new Dictionary<string, string?>
                {
                    ["from"] = status,
                    ["cancelledItems"] = cancelled.ToString(CultureInfo.InvariantCulture),
                    ["droppedAutoResends"] = droppedResends.ToString(CultureInfo.InvariantCulture),
                    ["couponsToCancel"] = couponIds.Length.ToString(CultureInfo.InvariantCulture),
                },
            }, c, tx, ct);
            await tx.CommitAsync(ct);
            return null;
        }, logger, "cancel-unsent");
        if (refusal is not null)
        {
            return refusal;
        }

        // Cancel the coupons now, so the answer can say how it went; whatever fails is followed up by the worker.
        while (await cancellations.AttemptDueAsync(id, ct) > 0)
        {
        }

        await using var read = await connections.OpenAsync(ct);
        var states = (await read.QueryAsync<(string State, int Count)>(new CommandDefinition(
            "SELECT state, COUNT(*) FROM coupon_cancels WHERE coupon_id IN @couponIds GROUP BY state", new { couponIds = couponIds.DefaultIfEmpty(0).ToArray() }, cancellationToken: ct)))
            .ToDictionary(s => s.State, s => s.Count);
        var done = states.GetValueOrDefault(CouponCancelState.Done);
        var pending = states.GetValueOrDefault(CouponCancelState.Pending) + states.GetValueOrDefault(CouponCancelState.Retry);
        logger.LogInformation("Campaign {CampaignId}: unsent part cancelled ({Items} items, {Done} coupons cancelled, {Pending} pending)", id, cancelled, done, pending);
        return new CancelUnsentResult(cancelled, done, pending);
    }

    /// <summary>Withdraws the campaign's QUEUED items whose message is still <c>ready</c>; returns (items cancelled, items withdrawn only best-effort).</summary>
    private async Task<(int Cancelled, long[] BestEffort)> WithdrawReadyAsync(MySqlConnector.MySqlConnection c, MySqlConnector.MySqlTransaction tx, long id, DateTime now, CancellationToken ct)
    {
        var ready = (await c.QueryAsync<(long Message, long Item)>(new CommandDefinition(
            $"SELECT m.id, d.id FROM delivery_items d JOIN messages m ON m.id = d.message_id WHERE d.campaign_id = @id AND d.status = '{ItemStatus.Queued}' AND m.status = '{MessageStatus.Ready}' FOR UPDATE",
            new { id }, tx, cancellationToken: ct))).ToList();
        if (ready.Count == 0)
        {
            return (0, []);
        }

        var outcomes = await canceller.WithdrawAsync(c, tx, [.. ready.Select(r => r.Message)], ct);
        var withdrawn = outcomes.Where(o => o.Result is WithdrawResult.Withdrawn or WithdrawResult.WithdrawnBestEffort).Select(o => o.MessageId).ToArray();
        if (withdrawn.Length == 0)
        {
            return (0, []);
        }

        var items = await DeliveryItemTransitions.WithdrawnAsync(c, tx, withdrawn, ItemStatus.Cancelled, keepMessage: true, now, ct);
        var bestEffortMessages = outcomes.Where(o => o.Result == WithdrawResult.WithdrawnBestEffort).Select(o => o.MessageId).ToHashSet();
        return (items, [.. ready.Where(r => bestEffortMessages.Contains(r.Message)).Select(r => r.Item)]);
    }
}
