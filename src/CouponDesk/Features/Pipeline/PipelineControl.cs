using CouponDesk.Data;
using CouponDesk.Features.Audit;
using CouponDesk.Features.Campaigns;
using CouponDesk.Features.Messages;
using CouponDesk.Features.Pipeline.Cancels;
using CouponDesk.Features.Pipeline.Failures;
using CouponDesk.Web.Errors;
using Dapper;
using MySqlConnector;

namespace CouponDesk.Features.Pipeline;

/// <summary>
/// Pause (C7) and resume (C9) of a running campaign. Pause withdraws the campaign's messages the agent has not taken (their
/// items go back to ISSUED, to be queued again with new CLIENT_KEYs on resume). Each action is one transaction with its
/// audit row written last. Cancelling is <see cref="CampaignCancel"/>'s; <see cref="CancelCouponsAsync"/> is the worker's
/// COUFUN cancel follow-up.
/// </summary>
public sealed class PipelineControl(DbConnectionFactory connections, SnapMessageCanceller canceller, AuditTrail audit, CouponCancellations cancellations, TimeProvider time, ILogger<PipelineControl> logger)
{
    public Task<Outcome<int>> PauseAsync(long id, AuditActor actor, CancellationToken ct) =>
        ActAsync(id, actor, "campaign.pause", [CampaignStatus.Issuing, CampaignStatus.Sending], async (c, tx, status, now) =>
        {
            // Waits for render batches inside their queue transaction, so the withdrawal below sees their messages (D-PIPE-24).
            await CampaignRunGate.CloseAsync(c, tx, id, ct);
            var withdrawn = await WithdrawReadyAsync(c, tx, id, now, ct);
            await CampaignTransitions.PauseAsync(c, tx, id, status, now, ct);
            return withdrawn;
        }, Refusal.Conflict("CAMPAIGN_NOT_RUNNING", "진행 중인 발송만 일시정지할 수 있습니다."), ct);

    public Task<Outcome<int>> ResumeAsync(long id, AuditActor actor, CancellationToken ct) =>
        ActAsync(id, actor, "campaign.resume", [CampaignStatus.Paused, CampaignStatus.Error], async (c, tx, status, now) =>
        {
            // A campaign stopped before it could start (missed schedule) goes back to SCHEDULED and starts at once.
            if (await CampaignTransitions.ResumeAsync(c, tx, id, status, now, ct) != CampaignStatus.Scheduled)
            {
                await IssuanceFailureRules.ResetAsync(c, tx, id, ct);
            }

            return 0;
        }, Refusal.Conflict("CAMPAIGN_NOT_PAUSED", "일시정지 또는 오류 상태의 발송만 재개할 수 있습니다."), ct);

    /// <summary>CANCELLING campaigns: cancel at COUFUN every bought coupon whose item was cancelled, with follow-up (<see cref="CouponCancellations"/>).</summary>
    public Task<int> CancelCouponsAsync(CancellationToken ct) => cancellations.StepAsync(ct);

    private async Task<int> WithdrawReadyAsync(MySqlConnection c, MySqlTransaction tx, long id, DateTime now, CancellationToken ct)
    {
        var ready = (await c.QueryAsync<long>(new CommandDefinition(
            $"SELECT m.id FROM delivery_items d JOIN messages m ON m.id = d.message_id WHERE d.campaign_id = @id AND d.status = '{ItemStatus.Queued}' AND m.status = '{MessageStatus.Ready}'",
            new { id }, tx, cancellationToken: ct))).ToList();
        if (ready.Count == 0)
        {
            return 0;
        }

        var outcomes = await canceller.WithdrawAsync(c, tx, ready, ct);
        var withdrawn = (await c.QueryAsync<long>(new CommandDefinition(
            $"SELECT id FROM messages WHERE id IN @ready AND status = '{MessageStatus.Withdrawn}'", new { ready }, tx, cancellationToken: ct))).ToArray();
        await DeliveryItemTransitions.WithdrawnAsync(c, tx, withdrawn, ItemStatus.Issued, keepMessage: false, now, ct);

        logger.LogInformation("Campaign {CampaignId}: withdrew {Withdrawn} of {Ready} ready messages ({Outcomes} answers)", id, withdrawn.Length, ready.Count, outcomes.Count);
        return withdrawn.Length;
    }

    /// <summary>The action's transaction, run again whole when it loses a deadlock or a cluster certification conflict.</summary>
    private Task<Outcome<int>> ActAsync(long id, AuditActor actor, string action, string[] from,
        Func<MySqlConnection, MySqlTransaction, string, DateTime, Task<int>> act, Refusal refusal, CancellationToken ct) =>
        DeadlockRetry.RunAsync(() => ActOnceAsync(id, actor, action, from, act, refusal, ct), logger, action);

    /// <summary>
    /// One transaction: lock the campaign, check it is in one of <paramref name="from"/>, act, write the audit row. The
    /// answer is the number of messages withdrawn; a campaign in another state is refused with <paramref name="refusal"/>
    /// and changes nothing.
    /// </summary>
    private async Task<Outcome<int>> ActOnceAsync(long id, AuditActor actor, string action, string[] from,
        Func<MySqlConnection, MySqlTransaction, string, DateTime, Task<int>> act, Refusal refusal, CancellationToken ct)
    {
        var now = time.GetUtcNow().UtcDateTime;
        await using var c = await connections.OpenAsync(ct);
        await using var tx = await c.BeginTransactionAsync(ct);
        var status = await c.ExecuteScalarAsync<string?>(new CommandDefinition("SELECT status FROM campaigns WHERE id = @id AND deleted_at IS NULL FOR UPDATE", new { id }, tx, cancellationToken: ct));
        if (status is null)
        {
            return Refusal.NotFound();
        }

        if (!from.Contains(status))
        {
            return refusal;
        }

        var withdrawn = await act(c, tx, status, now);

        await audit.WriteAsync(actor.Entry(action) with
        {
            TargetType = "campaign",
            TargetId = id.ToString(System.Globalization.CultureInfo.InvariantCulture),
            Details = new Dictionary<string, string?> { ["from"] = status, ["withdrawn"] = withdrawn.ToString(System.Globalization.CultureInfo.InvariantCulture) },
        }, c, tx, ct);
        await tx.CommitAsync(ct);
        return withdrawn;
    }
}
