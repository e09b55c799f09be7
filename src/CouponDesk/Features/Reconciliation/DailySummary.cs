using CouponDesk.Data;
using CouponDesk.Features.Alerts;
using CouponDesk.Features.Campaigns;
using CouponDesk.Features.Coupons;
using CouponDesk.Features.Pipeline;
using CouponDesk.Hosting;
using CouponDesk.Shared.Time;
using Dapper;
using Quartz;

namespace CouponDesk.Features.Reconciliation;

/// <summary>The counts the 09:00 summary carries (no personal data, no TR_IDs: counts only).</summary>
public sealed record DailySummaryCounts(int OpenInDoubtOrders, int ErrorCampaigns, int FailedCancels);

/// <summary>
/// The 09:00 KST daily summary (spec §5.8, §3.10 "a daily summary of open items goes to the ADMINs"): open in-doubt
/// orders, campaigns in ERROR and failed cancels, as one operations alert. Failed cancels are settlement cancels not
/// done (FAILED, or PENDING for more than an hour) plus coupons of cancelled items of cancelled campaigns still unused at
/// COUFUN an hour after the item was cancelled (docs/decisions.md D-RECON-3).
/// </summary>
public sealed class DailySummary(DbConnectionFactory connections, IOperationsAlerts alerts, TimeProvider time)
{
    public const string Kind = "daily.summary";

    public async Task<DailySummaryCounts> CountAsync(CancellationToken ct)
    {
        var hourAgo = time.GetUtcNow().UtcDateTime.AddHours(-1);
        await using var c = await connections.OpenAsync(ct);
        var open = await c.ExecuteScalarAsync<int>(new CommandDefinition($"SELECT COUNT(*) FROM issuance_orders WHERE status = '{OrderStatus.InDoubt}'", cancellationToken: ct));
        var errors = await c.ExecuteScalarAsync<int>(new CommandDefinition($"SELECT COUNT(*) FROM campaigns WHERE status = '{CampaignStatus.Error}' AND deleted_at IS NULL", cancellationToken: ct));
        var settlementCancels = await c.ExecuteScalarAsync<int>(new CommandDefinition(
            "SELECT COUNT(*) FROM in_doubt_cancels WHERE status = 'FAILED' OR (status = 'PENDING' AND created_at < @hourAgo)", new { hourAgo }, cancellationToken: ct));
        var campaignCancels = await c.ExecuteScalarAsync<int>(new CommandDefinition(
            $"""
            SELECT COUNT(*) FROM delivery_items d JOIN campaigns cp ON cp.id = d.campaign_id JOIN coupons k ON k.id = d.coupon_id
            WHERE cp.status IN ('{CampaignStatus.Cancelling}', '{CampaignStatus.Cancelled}') AND d.status = '{ItemStatus.Cancelled}' AND k.status = '{CouponStatus.Unused}' AND d.updated_at < @hourAgo
            """, new { hourAgo }, cancellationToken: ct));
        return new DailySummaryCounts(open, errors, settlementCancels + campaignCancels);
    }

    public async Task<DailySummaryCounts> SendAsync(CancellationToken ct)
    {
        var counts = await CountAsync(ct);
        var today = DateOnly.FromDateTime(Kst.Now(time)).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);
        var attention = counts.OpenInDoubtOrders + counts.ErrorCampaigns + counts.FailedCancels > 0;
        var message = $"[일일 요약 {today}] 발급 확인 필요 {counts.OpenInDoubtOrders}건, 오류 캠페인 {counts.ErrorCampaigns}건, 쿠폰 취소 실패 {counts.FailedCancels}건"
            + (attention ? ". 발급 확인 필요 화면과 발송조회에서 확인해 주세요." : ". 확인할 항목이 없습니다.");
        await alerts.RaiseAsync(new OperationsAlert(Kind, message, attention ? AlertSeverity.Warning : AlertSeverity.Info, "daily:" + today), ct);
        return counts;
    }

    /// <summary>Daily at 09:00 KST; a node that was down at 09:00 sends the missed summary once when it is back.</summary>
    public sealed class Job(DailySummary summary) : IJob
    {
        public async ValueTask Execute(IJobExecutionContext context, CancellationToken cancellationToken) => await summary.SendAsync(cancellationToken);
    }

    public sealed class Registration : IJobRegistration
    {
        public const string Cron = "0 0 9 * * ?";

        public void Register(IQuartzBuilder quartz) => quartz.ScheduleJob<Job>(
            trigger => trigger.WithIdentity("daily-summary").WithCronSchedule(Cron, c => c.InTimeZone(Kst.Zone).WithMisfireInstruction(CronTriggerMisfireInstruction.FireAndProceed)),
            job => job.StoreDurably().WithIdentity("daily-summary"));
    }
}
