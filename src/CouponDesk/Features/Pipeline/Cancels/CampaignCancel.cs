using System.Globalization;
using CouponDesk.Data;
using CouponDesk.Features.Audit;
using CouponDesk.Features.Campaigns;
using CouponDesk.Features.Coupons;
using CouponDesk.Features.Messages;
using CouponDesk.Web.Errors;
using Dapper;
using MySqlConnector;

namespace CouponDesk.Features.Pipeline.Cancels;

/// <summary>Which button asked: 일괄취소 (any campaign not finished) or 미발송분 취소 (a stopped one).</summary>
public enum CancelKind
{
    Bulk,
    Unsent,
}

/// <summary>
/// What a cancel did (the endpoints' 200 answer). <see cref="Whole"/>: nothing of the campaign had reached the agent, so
/// all of it is cancelled (C10 / C11 → CANCELLED); otherwise the agent's part goes on and the campaign's final state is
/// computed over it (C13b). <see cref="TakenByAgent"/> items are still with the agent (their results are coming);
/// <see cref="AlreadyFinished"/> items had their result before the cancel.
/// </summary>
public sealed record CampaignCancelResult(
    bool Whole, int CancelledItems, int Withdrawn, int TakenByAgent, int AlreadyFinished, int DroppedResends, int CouponsCancelled, int CouponCancelsPending)
{
    /// <summary>The sentence the page shows (spec §3.3.3: success, or the partial message with the agent's count).</summary>
    public string Message => TakenByAgent + AlreadyFinished == 0
        ? "발송이 취소되었습니다."
        : string.Create(CultureInfo.InvariantCulture,
            $"미발송 {CancelledItems:N0}건을 취소했습니다. 발송 {TakenByAgent + AlreadyFinished:N0}건은 이미 발송 처리되어 취소하지 못했습니다.");
}

/// <summary>
/// The one cancel of a campaign (spec §3.3.3, §4.1 C10–C12, §4.2 D12; issue 24): 일괄취소 works on a SCHEDULED, ISSUING,
/// SENDING, PAUSED or ERROR campaign, 미발송분 취소 on a PAUSED or ERROR one, and both do the same thing: what the SNAP
/// agent has not taken is cancelled, what it has taken finishes and is reported. Which it is follows the messages, not the
/// status word (D-PIPE-31). In one transaction (audit row last; a refusal changes nothing):
/// <list type="number">
/// <item>the campaign row is locked and the run gate closed, so no render batch queues behind the cancel (D-PIPE-24);</item>
/// <item>PENDING / ISSUED items and items of never-called orders are CANCELLED (those orders FAILED);</item>
/// <item>every QUEUED item whose <c>UMS_MSG</c> row is still <c>ready</c> is withdrawn — the row locked and deleted
/// (<see cref="SnapMessageCanceller"/>) — and CANCELLED. The agent claims with <c>FOR UPDATE SKIP LOCKED</c>: a row we
/// locked is skipped by it; a row it locked first makes our locking read wait for its commit and then no longer read as
/// <c>ready</c>, so that item stays QUEUED and is followed to its result. Each message is one or the other;</item>
/// <item>automatic resends still due are dropped; a <c>coupon_cancels</c> row is written per unused coupon of a cancelled
/// item; the campaign goes to CANCELLING (C10 for SCHEDULED: CANCELLED at once, nothing was bought).</item>
/// </list>
/// After the commit the coupons are cancelled at COUFUN at once; failures are followed up by <see cref="CouponCancellations"/>.
/// </summary>
public sealed class CampaignCancel(
    DbConnectionFactory connections,
    SnapMessageCanceller canceller,
    CouponCancellations cancellations,
    CancelPreview preview,
    AuditTrail audit,
    CouponCancelOptions options,
    TimeProvider time,
    ILogger<CampaignCancel> logger)
{
    public const string RunningAuditAction = "campaign.cancel-running";
    public const string UnsentAuditAction = "campaign.cancel-unsent";

    private const string NotStoppedCode = "CAMPAIGN_NOT_STOPPED";

    private static readonly string[] BulkFrom = [CampaignStatus.Issuing, CampaignStatus.Sending, CampaignStatus.Paused, CampaignStatus.Error];

    /// <summary>Refusal when the agent has everything: there is nothing left to cancel (and nowhere else to go).</summary>
    public static readonly Refusal NothingUnsent = Refusal.Conflict("NOTHING_UNSENT",
        "취소할 미발송 건이 없습니다. 모든 메시지가 이미 통신사로 넘어가 결과를 기다리고 있습니다.");

    public async Task<Outcome<CampaignCancelResult>> CancelAsync(long id, CancelKind kind, string reason, AuditActor actor, CancellationToken ct)
    {
        CampaignCancelResult? done = null;
        long[] couponIds = [];
        // A worker claiming the same items can make this transaction a deadlock victim; it is then run again whole.
        var refusal = await DeadlockRetry.RunAsync<Refusal?>(async () =>
        {
            var now = time.GetUtcNow().UtcDateTime;
            await using var c = await connections.OpenAsync(ct);
            await using var tx = await c.BeginTransactionAsync(ct);
            var status = await c.ExecuteScalarAsync<string?>(new CommandDefinition(
                "SELECT status FROM campaigns WHERE id = @id AND deleted_at IS NULL FOR UPDATE", new { id }, tx, cancellationToken: ct));
            if (status is null)
            {
                return Refusal.NotFound();
            }

            if (kind == CancelKind.Bulk && status == CampaignStatus.Scheduled)
            {
                // C10: nothing was bought; the same path as the scheduled cancel, so the operator never has to pick one.
                await CampaignTransitions.CancelScheduledAsync(c, tx, id, reason, actor.UserId, now, ct);
                await WriteAuditAsync(c, tx, CampaignAuditEvents.Cancelled, id, status, reason, actor, new Dictionary<string, string?>(), ct);
                await tx.CommitAsync(ct);
                done = new CampaignCancelResult(true, 0, 0, 0, 0, 0, 0, 0);
                return null;
            }

            if (Refused(kind, status) is { } no)
            {
                return no;
            }

            await CampaignRunGate.CloseAsync(c, tx, id, ct);
            // Unsent items first, then the ready rows: a render batch committing in between (it holds the item locks, so the
            // UPDATE waits for it) has queued its items by then, and the locking read of the withdrawal sees them.
            var cancelled = await DeliveryItemTransitions.CancelUnsentAsync(c, tx, id, now, ct);
            await IssuanceOrderTransitions.FailPlannedAsync(c, tx, id, now, ct);
            var (withdrawn, bestEffortItems) = await WithdrawReadyAsync(c, tx, id, now, ct);
            cancelled += withdrawn;
            var dropped = await DeliveryItemTransitions.DropDueResendsAsync(c, tx, id, now, ct);
            var counts = (await c.QueryAsync<(string Status, int Count)>(new CommandDefinition(
                "SELECT status, COUNT(*) FROM delivery_items WHERE campaign_id = @id GROUP BY status", new { id }, tx, cancellationToken: ct))).ToDictionary(x => x.Status, x => x.Count);
            var taken = counts.GetValueOrDefault(ItemStatus.Queued);
            var finished = counts.GetValueOrDefault(ItemStatus.Sent) + counts.GetValueOrDefault(ItemStatus.SendFailed) + counts.GetValueOrDefault(ItemStatus.Replaced);
            if (cancelled + dropped == 0 && taken + finished > 0)
            {
                await tx.RollbackAsync(ct);
                return NothingUnsent;
            }

            var source = kind == CancelKind.Bulk ? CouponCancelSource.CampaignCancel : CouponCancelSource.PartialCancel;
            await c.ExecuteAsync(new CommandDefinition(
                $"""
                INSERT IGNORE INTO coupon_cancels (coupon_id, campaign_id, item_id, source, state, next_attempt_at, created_at, updated_at)
                SELECT d.coupon_id, d.campaign_id, d.id, @source, '{CouponCancelState.Pending}', IF(d.id IN @bestEffort, @later, @now), @now, @now
                FROM delivery_items d JOIN coupons k ON k.id = d.coupon_id
                WHERE d.campaign_id = @id AND d.status = '{ItemStatus.Cancelled}' AND k.status = '{CouponStatus.Unused}'
                """, new { id, now, later = now.AddSeconds(options.BestEffortGraceSeconds), bestEffort = bestEffortItems.DefaultIfEmpty(0).ToArray(), source },
                tx, cancellationToken: ct));
            couponIds = (await c.QueryAsync<long>(new CommandDefinition(
                $"SELECT coupon_id FROM coupon_cancels WHERE campaign_id = @id AND state IN ('{CouponCancelState.Pending}', '{CouponCancelState.Retry}')", new { id }, tx, cancellationToken: ct))).ToArray();
            await CampaignTransitions.CancelAsync(c, tx, id, status, reason, actor.UserId, now, ct);
            var whole = taken + finished == 0;
            await WriteAuditAsync(c, tx, kind == CancelKind.Bulk ? RunningAuditAction : UnsentAuditAction, id, status, reason, actor, new Dictionary<string, string?>
            {
                ["whole"] = whole ? "true" : "false",
                ["cancelledItems"] = Text(cancelled),
                ["withdrawn"] = Text(withdrawn),
                ["takenByAgent"] = Text(taken),
                ["alreadyFinished"] = Text(finished),
                ["droppedAutoResends"] = Text(dropped),
                ["couponsToCancel"] = Text(couponIds.Length),
            }, ct);
            await tx.CommitAsync(ct);
            done = new CampaignCancelResult(whole, cancelled, withdrawn, taken, finished, dropped, 0, 0);
            return null;
        }, logger, "campaign cancel");
        if (refusal?.Code == NotStoppedCode && await preview.GetAsync(id, ct) is { Cancellable: false })
        {
            // 일괄취소 would refuse too: say why, not where to go.
            return NothingUnsent;
        }

        if (refusal is not null)
        {
            return refusal;
        }

        // Cancel the coupons now, so the answer can say how it went; whatever fails is followed up by the worker.
        while (couponIds.Length > 0 && await cancellations.AttemptDueAsync(id, ct) > 0)
        {
        }

        var (cancelledCoupons, pending) = await CouponCancelCountsAsync(couponIds, ct);
        var result = done! with { CouponsCancelled = cancelledCoupons, CouponCancelsPending = pending };
        logger.LogInformation(
            "Campaign {CampaignId} cancelled ({Kind}, whole: {Whole}): {Items} items cancelled, {Withdrawn} withdrawn, {Taken} with the agent, {Finished} finished, {Done} coupons cancelled, {Pending} pending",
            id, kind, result.Whole, result.CancelledItems, result.Withdrawn, result.TakenByAgent, result.AlreadyFinished, cancelledCoupons, pending);
        return result;
    }

    /// <summary>Why this campaign cannot be cancelled this way, or null. No refusal sends the operator to an action that would refuse too.</summary>
    /// <summary>Why a campaign in <paramref name="status"/> cannot be cancelled this way, or null (also checked when a cancel is requested for approval).</summary>
    public static Refusal? Refused(CancelKind kind, string status)
    {
        if (kind == CancelKind.Bulk ? BulkFrom.Contains(status) : CampaignStatus.Stopped.Contains(status))
        {
            return null;
        }

        return status switch
        {
            // 일괄취소 takes running and scheduled campaigns, so it is where 미발송분 취소 sends them.
            CampaignStatus.Issuing or CampaignStatus.Sending or CampaignStatus.Scheduled =>
                Refusal.Conflict(NotStoppedCode, "미발송분 취소는 일시정지 또는 오류 상태의 발송에 씁니다. 이 발송은 일괄취소로 바로 취소할 수 있습니다."),
            CampaignStatus.Cancelling or CampaignStatus.Cancelled => Refusal.Conflict("CAMPAIGN_ALREADY_CANCELLED", "이미 취소되었거나 취소 중인 발송입니다."),
            CampaignStatus.Draft => Refusal.Conflict("CAMPAIGN_NOT_SUBMITTED", "임시저장 상태의 발송은 취소할 것이 없습니다. 필요 없으면 삭제해 주세요."),
            _ => Refusal.Conflict("CAMPAIGN_FINISHED", "발송이 끝난 캠페인은 취소할 수 없습니다. 쿠폰은 C/S의 쿠폰폐기로 개별 취소해 주세요."),
        };
    }

    /// <summary>Withdraws the campaign's QUEUED items whose message is still <c>ready</c>; returns (items cancelled, items withdrawn only best-effort).</summary>
    private async Task<(int Cancelled, long[] BestEffort)> WithdrawReadyAsync(MySqlConnection c, MySqlTransaction tx, long id, DateTime now, CancellationToken ct)
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

    private async Task<(int Done, int Pending)> CouponCancelCountsAsync(long[] couponIds, CancellationToken ct)
    {
        if (couponIds.Length == 0)
        {
            return (0, 0);
        }

        await using var read = await connections.OpenAsync(ct);
        var states = (await read.QueryAsync<(string State, int Count)>(new CommandDefinition(
            "SELECT state, COUNT(*) FROM coupon_cancels WHERE coupon_id IN @couponIds GROUP BY state", new { couponIds }, cancellationToken: ct)))
            .ToDictionary(s => s.State, s => s.Count);
        return (states.GetValueOrDefault(CouponCancelState.Done), states.GetValueOrDefault(CouponCancelState.Pending) + states.GetValueOrDefault(CouponCancelState.Retry));
    }

    private Task WriteAuditAsync(MySqlConnection c, MySqlTransaction tx, string action, long id, string from, string reason, AuditActor actor,
        Dictionary<string, string?> details, CancellationToken ct)
    {
        details["from"] = from;
        return audit.WriteAsync(actor.Entry(action) with
        {
            TargetType = "campaign",
            TargetId = id.ToString(CultureInfo.InvariantCulture),
            Reason = reason,
            Details = details,
        }, c, tx, ct);
    }

    private static string Text(int n) => n.ToString(CultureInfo.InvariantCulture);
}
