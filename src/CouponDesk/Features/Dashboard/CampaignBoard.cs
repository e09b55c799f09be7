using CouponDesk.Features.Campaigns;
using CouponDesk.Features.Pipeline;
using Dapper;
using MySqlConnector;

namespace CouponDesk.Features.Dashboard;

/// <summary>
/// 진행 중 캠페인 and 예정 캠페인 (spec §3.8). Running figures come from <see cref="PipelineProgress"/> — the same numbers
/// the campaign detail page and the event stream show — and are only regrouped into the four stage bars here.
/// </summary>
public sealed class CampaignBoard(PipelineProgress progress, SendTimeRules sendTimes, TimeProvider time)
{
    /// <summary>More than this many campaigns at once is not a dashboard any more; the rest are in 발송조회.</summary>
    public const int Limit = 50;

    private static readonly string[] RunningStates = [CampaignStatus.Issuing, CampaignStatus.Sending, CampaignStatus.Paused, CampaignStatus.Error];

    public async Task<IReadOnlyList<RunningCampaign>> RunningAsync(MySqlConnection c, CancellationToken ct)
    {
        var rows = await c.QueryAsync<(long Id, string ClientName, string EventName, DateTime? ScheduledAt)>(new CommandDefinition(
            $"""
            SELECT id, client_name, event_name, scheduled_at FROM campaigns
            WHERE status IN @RunningStates AND deleted_at IS NULL
            ORDER BY scheduled_at, id LIMIT {Limit}
            """, new { RunningStates }, cancellationToken: ct));
        var now = time.GetUtcNow().UtcDateTime;
        var result = new List<RunningCampaign>();
        foreach (var row in rows)
        {
            if (await progress.GetAsync(row.Id, ct) is not { } p)
            {
                continue;
            }

            result.Add(ToRunning(row.Id, row.ClientName, row.EventName, row.ScheduledAt, p, now));
        }

        return result;
    }

    /// <summary>The detail page's stage arithmetic (campaign.js drawProgress), kept in one place for the dashboard.</summary>
    public static RunningCampaign ToRunning(long id, string clientName, string eventName, DateTime? scheduledAt, CampaignProgress p, DateTime now)
    {
        int N(string s) => p.Items.GetValueOrDefault(s);
        var stages = new StageCounts(
            Issued: N(ItemStatus.Issued) + N(ItemStatus.RenderFailed) + p.Prepared,
            Rendered: p.Prepared,
            Queued: p.Prepared,
            Results: N(ItemStatus.Sent) + N(ItemStatus.SendFailed));
        var failed = N(ItemStatus.IssueFailed) + N(ItemStatus.RenderFailed) + N(ItemStatus.SendFailed);
        var running = p.Status is CampaignStatus.Issuing or CampaignStatus.Sending;
        // The pipeline's ETA is for preparing the messages; none is delivered before the send time.
        DateTime? finish = running && p.EtaSeconds is { } eta ? Later(now.AddSeconds(eta), scheduledAt) : null;
        var reason = p.Status is CampaignStatus.Paused or CampaignStatus.Error ? p.StopReason : null;
        return new RunningCampaign(id, clientName, eventName, scheduledAt, p.Status, p.StatusLabel, reason, p.Total, stages,
            N(ItemStatus.Sent), failed, p.QueuedPerMinute, finish);
    }

    private static DateTime Later(DateTime a, DateTime? b) => b is { } v && v > a ? v : a;

    /// <summary>Scheduled campaigns sending within 24 h (or overdue), with what would stop them at start (spec §4.1 C5).</summary>
    public async Task<IReadOnlyList<UpcomingCampaign>> UpcomingAsync(MySqlConnection c, CancellationToken ct)
    {
        var now = time.GetUtcNow().UtcDateTime;
        var rows = await c.QueryAsync<(long Id, string ClientName, string EventName, DateTime? ScheduledAt, int RecipientCount, string? ProductStatus, long SenderRegistered, long CancelPending)>(new CommandDefinition(
            $"""
            SELECT c.id, c.client_name, c.event_name, c.scheduled_at, c.recipient_count, p.status,
                   EXISTS (SELECT 1 FROM sender_numbers s WHERE s.number = c.sender_number AND s.active = 1),
                   EXISTS (SELECT 1 FROM approval_requests a WHERE a.campaign_id = c.id AND a.kind = 'CAMPAIGN_CANCEL' AND a.status = 'PENDING' AND a.expires_at > @now)
            FROM campaigns c LEFT JOIN products p ON p.goods_id = c.goods_id
            WHERE c.status = '{CampaignStatus.Scheduled}' AND c.deleted_at IS NULL AND c.scheduled_at < @until
            ORDER BY c.scheduled_at, c.id LIMIT {Limit}
            """, new { until = now.AddHours(24), now }, cancellationToken: ct));
        return [.. rows.Select(r => new UpcomingCampaign(r.Id, r.ClientName, r.EventName, r.ScheduledAt, r.RecipientCount,
            [.. Warnings(r.ProductStatus, r.SenderRegistered != 0, r.ScheduledAt, r.RecipientCount, now), .. r.CancelPending != 0 ? ["취소 승인 대기"] : Array.Empty<string>()]))];
    }

    private List<string> Warnings(string? productStatus, bool senderRegistered, DateTime? scheduledAt, int recipients, DateTime now)
    {
        var warnings = new List<string>();
        if (productStatus != "ON_SALE")
        {
            warnings.Add("상품 판매중지");
        }

        if (!senderRegistered)
        {
            warnings.Add("발신번호 미등록");
        }

        if (scheduledAt is { } at && at - now < sendTimes.Lead(recipients))
        {
            warnings.Add("준비 시간 부족");
        }

        return warnings;
    }
}
