using CouponDesk.Data;
using CouponDesk.Features.Campaigns;
using CouponDesk.Features.Coupons;
using CouponDesk.Features.Pipeline.Cancels;
using CouponDesk.Features.Pipeline.Scheduling;
using Dapper;

namespace CouponDesk.Features.Pipeline;

/// <summary>
/// The campaign-level transitions the workers make (spec §4.1 C5, C6, C8, C14): start a scheduled campaign at its start
/// time (one delivery item per accepted recipient, created in the same transaction) after the C5 pre-flight, move
/// ISSUING → SENDING at the send time, and finish a campaign whose items are all final. Each step claims its campaign
/// row with <c>FOR UPDATE SKIP LOCKED</c>, so any number of workers may run it. Start times come from
/// <see cref="StartPlanner"/> (measured throughput, Scheduling/).
/// </summary>
public sealed class CampaignLifecycle(
    DbConnectionFactory connections,
    StartPlanner planner,
    StartPreflight preflight,
    PreparationRates rates,
    CampaignTransitions transitions,
    PipelineOptions options,
    TimeProvider time,
    ILogger<CampaignLifecycle> logger)
{
    public async Task<int> StepAsync(CancellationToken ct)
    {
        var done = await planner.ReplanIfDueAsync(ct);
        while (await StartOneAsync(ct))
        {
            done++;
        }

        await rates.RecordRunningAsync(ct);

        done += await ToSendingAsync(ct);
        done += await FinishAsync(ct);
        return done;
    }

    private async Task<bool> StartOneAsync(CancellationToken ct)
    {
        var now = time.GetUtcNow().UtcDateTime;
        await using var c = await connections.OpenAsync(ct);
        await using var tx = await c.BeginTransactionAsync(ct);
        // A campaign held by a pending cancel request (spec §1.3 item 6) is skipped, so it never blocks the others.
        var campaign = await c.QuerySingleOrDefaultAsync<(long Id, DateTime? ScheduledAt, long? ListId, string? GoodsId, string? SenderNumber)>(new CommandDefinition(
            $"""
            SELECT id, scheduled_at, recipient_list_id, goods_id, sender_number FROM campaigns
            WHERE status = '{CampaignStatus.Scheduled}' AND start_at <= @now AND deleted_at IS NULL AND {CancelApprovals.NotHeldSql}
            ORDER BY start_at LIMIT 1 FOR UPDATE SKIP LOCKED
            """, new { now }, tx, cancellationToken: ct));
        if (campaign.Id == 0)
        {
            return false;
        }

        var sendAt = campaign.ScheduledAt ?? now;
        (string Code, string Reason)? stop = null;
        if (campaign.ListId is null)
        {
            stop = ("NO_RECIPIENTS", "수신자 목록이 없어 시작할 수 없습니다.");
        }
        else if (now - sendAt > TimeSpan.FromMinutes(options.MissedScheduleMinutes))
        {
            stop = ("MISSED_SCHEDULE", "예약 시각 경과: 발송 시각이 지나 자동으로 시작하지 않았습니다. 재개 또는 취소해 주세요.");
        }
        else
        {
            var check = await preflight.CheckAsync(c, tx, campaign.Id, campaign.GoodsId, campaign.SenderNumber, now, ct);
            if (check.Verdict == PreflightVerdict.Hold)
            {
                // Raced with a request filed after the SELECT: leave it SCHEDULED.
                await tx.RollbackAsync(ct);
                return true;
            }

            if (check.Verdict == PreflightVerdict.Stop)
            {
                stop = (check.Why!.Code, check.Why.Message);
            }
        }

        if (stop is { } s)
        {
            await transitions.StopAsync(c, tx, campaign.Id, s.Code, s.Reason, ct);
            await tx.CommitAsync(ct); // StopAsync raised the campaign.error alert
            return true;
        }

        var items = await DeliveryItemTransitions.CreateAsync(c, tx, campaign.Id, campaign.ListId.GetValueOrDefault(), now, ct);
        var next = await CampaignTransitions.StartAsync(c, tx, campaign.Id, items, sendAt, now, ct);
        await tx.CommitAsync(ct);
        logger.LogInformation("Campaign {CampaignId} started with {Items} items ({Status})", campaign.Id, items, next);
        return true;
    }

    private async Task<int> ToSendingAsync(CancellationToken ct)
    {
        var now = time.GetUtcNow().UtcDateTime;
        await using var c = await connections.OpenAsync(ct);
        // A plain read first, then a claim by id with SKIP LOCKED — never a locking UPDATE scan: that scan waited on the
        // campaign row the planner holds FOR UPDATE for its whole round, and its queued lock made the planner's next
        // SKIP LOCKED pass over the campaign and sleep a poll interval, on every lifecycle step (D-PIPE-20). A campaign
        // skipped here moves at the next step.
        var candidates = (await c.QueryAsync<long>(new CommandDefinition(
            $"SELECT id FROM campaigns WHERE status = '{CampaignStatus.Issuing}' AND scheduled_at <= @now", new { now }, cancellationToken: ct))).ToList();
        if (candidates.Count == 0)
        {
            return 0;
        }

        await using var tx = await c.BeginTransactionAsync(ct);
        var due = (await c.QueryAsync<long>(new CommandDefinition(
            $"SELECT id FROM campaigns WHERE id IN @candidates AND status = '{CampaignStatus.Issuing}' FOR UPDATE SKIP LOCKED", new { candidates }, tx, cancellationToken: ct))).ToList();
        if (due.Count == 0)
        {
            return 0;
        }

        var moved = await CampaignTransitions.ToSendingAsync(c, tx, due, now, ct);
        await tx.CommitAsync(ct);
        return moved;
    }

    /// <summary>C14: a SENDING campaign whose items are all final becomes COMPLETED, PARTIALLY_FAILED or FAILED.</summary>
    private async Task<int> FinishAsync(CancellationToken ct)
    {
        var now = time.GetUtcNow().UtcDateTime;
        await using var c = await connections.OpenAsync(ct);
        var candidates = (await c.QueryAsync<long>(new CommandDefinition(
            $"""
            SELECT cp.id FROM campaigns cp
            WHERE cp.status IN ('{CampaignStatus.Sending}', '{CampaignStatus.Cancelling}')
              AND NOT EXISTS (SELECT 1 FROM delivery_items d WHERE d.campaign_id = cp.id AND d.status NOT IN @final)
              AND NOT EXISTS (SELECT 1 FROM delivery_items d WHERE d.campaign_id = cp.id AND d.resend_due_at IS NOT NULL)
              AND NOT EXISTS (SELECT 1 FROM delivery_items d JOIN coupons k ON k.id = d.coupon_id
                              WHERE d.campaign_id = cp.id AND d.status = '{ItemStatus.Cancelled}' AND k.status = '{CouponStatus.Unused}'
                                AND NOT EXISTS (SELECT 1 FROM coupon_cancels x WHERE x.coupon_id = k.id AND x.state IN ('{CouponCancelState.Refused}', '{CouponCancelState.GaveUp}')))
            """, new { final = ItemStatus.Final }, cancellationToken: ct))).ToList();
        var finished = 0;
        foreach (var id in candidates)
        {
            await using var tx = await c.BeginTransactionAsync(ct);
            var status = await c.ExecuteScalarAsync<string?>(new CommandDefinition(
                $"SELECT status FROM campaigns WHERE id = @id AND status IN ('{CampaignStatus.Sending}', '{CampaignStatus.Cancelling}') FOR UPDATE SKIP LOCKED", new { id }, tx, cancellationToken: ct));
            var counts = (await c.QueryAsync<(string Status, int Count)>(new CommandDefinition(
                "SELECT status, COUNT(*) FROM delivery_items WHERE campaign_id = @id GROUP BY status", new { id }, tx, cancellationToken: ct))).ToDictionary(x => x.Status, x => x.Count);
            // An item with a resend still due (automatic or 실패 건 재시도) is not final (spec D9).
            var resendDue = await c.ExecuteScalarAsync<int>(new CommandDefinition(
                "SELECT COUNT(*) FROM delivery_items WHERE campaign_id = @id AND resend_due_at IS NOT NULL", new { id }, tx, cancellationToken: ct));
            if (status is null || resendDue > 0 || counts.Keys.Any(s => !ItemStatus.Final.Contains(s)))
            {
                continue;
            }

            var sent = counts.GetValueOrDefault(ItemStatus.Sent);
            var failed = counts.GetValueOrDefault(ItemStatus.IssueFailed) + counts.GetValueOrDefault(ItemStatus.RenderFailed) + counts.GetValueOrDefault(ItemStatus.SendFailed);
            var final = await CampaignTransitions.FinishAsync(c, tx, id, status, sent, failed, now, ct);
            await tx.CommitAsync(ct);
            logger.LogInformation("Campaign {CampaignId} finished: {Status} ({Sent} sent, {Failed} failed)", id, final, sent, failed);
            finished++;
        }

        return finished;
    }
}
