using System.Globalization;
using CouponDesk.Data;
using CouponDesk.Features.Alerts;
using CouponDesk.Features.Campaigns;
using CouponDesk.Shared.Time;
using Dapper;

namespace CouponDesk.Features.Pipeline.Scheduling;

/// <summary>
/// Spec §5.1 (MP §4): items of a running campaign still not queued <see cref="PipelineOptions.LateAfterMinutes"/> minutes
/// after its send time. The campaign then shows a warning (<see cref="Warning"/>, part of its progress) and an
/// operations alert <c>campaign.late</c> goes out once per run: the run row's <c>late_alerted_at</c> is set by a
/// conditional update, so of several jobs or ticks exactly one raises it (D-PIPE-27). Alerts carry the campaign number and
/// counts only.
/// </summary>
public sealed class LateCampaigns(DbConnectionFactory connections, IOperationsAlerts alerts, PipelineOptions options, TimeProvider time, ILogger<LateCampaigns> logger)
{
    public const string AlertKind = "campaign.late";

    public const string WarningCode = "CAMPAIGN_LATE";

    /// <summary>Item states before the hand-off to the agent (final failures are alerted on their own).</summary>
    private const string NotQueuedSql = $"('{ItemStatus.Pending}', '{ItemStatus.Issuing}', '{ItemStatus.Issued}')";

    /// <summary>Item states counted as "not queued yet" by <see cref="Warning"/> (the same as <c>NotQueuedSql</c>).</summary>
    public static readonly string[] NotQueued = [ItemStatus.Pending, ItemStatus.Issuing, ItemStatus.Issued];

    private sealed record Late(long Id, DateTime SendAt, long Missing);

    /// <summary>Raises <c>campaign.late</c> for every late running campaign not alerted yet; returns how many were raised.</summary>
    public async Task<int> CheckAsync(CancellationToken ct)
    {
        var now = time.GetUtcNow().UtcDateTime;
        await using var c = await connections.OpenAsync(ct);
        // A plain read (no locks on campaigns, D-PIPE-20); the run row is only written for a campaign that is late.
        var late = (await c.QueryAsync<Late>(new CommandDefinition(
            $"""
            SELECT cp.id AS Id, cp.scheduled_at AS SendAt,
                   (SELECT COUNT(*) FROM delivery_items d WHERE d.campaign_id = cp.id AND d.status IN {NotQueuedSql}) AS Missing
            FROM campaigns cp JOIN campaign_runs r ON r.campaign_id = cp.id
            WHERE cp.status IN {CampaignStatus.RunningSql} AND cp.scheduled_at <= @limit AND r.late_alerted_at IS NULL
            """, new { limit = now.AddMinutes(-options.LateAfterMinutes) }, cancellationToken: ct))).Where(l => l.Missing > 0).ToList();
        var raised = 0;
        foreach (var campaign in late)
        {
            var mine = await c.ExecuteAsync(new CommandDefinition(
                "UPDATE campaign_runs SET late_alerted_at = @now WHERE campaign_id = @id AND late_alerted_at IS NULL", new { id = campaign.Id, now }, cancellationToken: ct));
            if (mine == 0)
            {
                continue; // another job got there first
            }

            logger.LogWarning("Campaign {CampaignId}: {Missing} items not queued {Minutes} minutes after the send time", campaign.Id, campaign.Missing, options.LateAfterMinutes);
            await alerts.RaiseAsync(new OperationsAlert(AlertKind,
                string.Create(CultureInfo.InvariantCulture,
                    $"캠페인 #{campaign.Id}: 발송 시각({Kst.FormatMinute(campaign.SendAt)} KST)이 {options.LateAfterMinutes}분 넘게 지났지만 아직 발송 대기열에 넣지 못한 건이 {campaign.Missing:N0}건 있습니다. 발급·이미지 생성 진행 상황과 공급사(COUFUN) 상태를 확인해 주세요."),
                AlertSeverity.Warning, string.Create(CultureInfo.InvariantCulture, $"campaign:{campaign.Id}")), ct);
            raised++;
        }

        return raised;
    }

    /// <summary>The warning the campaign shows while it is late (null otherwise); <paramref name="notQueued"/> = its items not queued yet.</summary>
    public ProgressWarning? Warning(string status, DateTime? sendAt, int notQueued)
    {
        var now = time.GetUtcNow().UtcDateTime;
        if (status is not (CampaignStatus.Issuing or CampaignStatus.Sending) || sendAt is not { } at || notQueued == 0 || at > now.AddMinutes(-options.LateAfterMinutes))
        {
            return null;
        }

        return new ProgressWarning(WarningCode, string.Create(CultureInfo.InvariantCulture,
            $"발송 시각({Kst.FormatMinute(at)} KST)이 {options.LateAfterMinutes}분 넘게 지났지만 아직 발송 대기열에 넣지 못한 건이 {notQueued:N0}건 있습니다."));
    }
}
