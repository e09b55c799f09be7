using CouponDesk.Features.Alerts;
using CouponDesk.Features.Reconciliation;
using CouponDesk.Hosting;
using CouponDesk.Shared.Time;
using CouponDesk.TestSupport;
using Dapper;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Quartz;

namespace CouponDesk.Tests.Reconciliation;

/// <summary>The 09:00 KST daily summary (spec §5.8): one operations alert with counts only.</summary>
public sealed class DailySummaryTests(DailySummaryTests.Factory factory) : IClassFixture<DailySummaryTests.Factory>
{
    public sealed class Factory : CouponDeskFactory
    {
        public RecordingAlerts Alerts { get; } = new();

        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            base.ConfigureWebHost(builder);
            builder.ConfigureTestServices(services => services.AddSingleton<IOperationsAlerts>(Alerts));
        }
    }

    [Fact]
    public async Task Counts_open_in_doubt_orders_error_campaigns_and_failed_cancels_in_one_alert_without_personal_data()
    {
        var data = new ReconciliationData(factory.Services);
        var summary = factory.Services.GetRequiredService<DailySummary>();
        var quiet = await summary.SendAsync(CancellationToken.None);
        Assert.Equal(new DailySummaryCounts(0, 0, 0), quiet);
        Assert.Equal(AlertSeverity.Info, factory.Alerts.Raised[^1].Severity);

        var campaign = await data.CampaignAsync(2, firstPhone: 200);
        var (open1, _) = await data.InDoubtOrderAsync(campaign);
        await data.InDoubtOrderAsync(campaign);
        var (settled, _) = await data.InDoubtOrderAsync(campaign);
        var old = DateTime.UtcNow.AddHours(-3);
        await using (var c = await factory.Database.OpenAsync())
        {
            await c.ExecuteAsync("UPDATE issuance_orders SET status = 'SETTLED_ISSUED' WHERE id = @settled", new { settled });
            await c.ExecuteAsync("UPDATE campaigns SET status = 'ERROR' WHERE id = @campaign", new { campaign });
            await c.ExecuteAsync(
                """
                INSERT INTO in_doubt_cancels (order_id, coupon_number_enc, coupon_number_index, coupon_number_last4, status, created_at, updated_at) VALUES
                (@settled, NULL, NULL, '0001', 'FAILED', @old, @old), (@settled, NULL, NULL, '0002', 'PENDING', @old, @old),
                (@settled, NULL, NULL, '0003', 'PENDING', @now, @now), (@settled, NULL, NULL, '0004', 'DONE', @old, @old)
                """, new { settled, old, now = DateTime.UtcNow });
        }

        // A cancelled campaign whose coupon is still unused at COUFUN an hour after its item was cancelled.
        var cancelledCampaign = await data.CampaignAsync(1, firstPhone: 210);
        var coupon = await data.CouponAsync(DailyReportTests.Number(), old);
        await data.ItemAsync(cancelledCampaign, 1, "CANCELLED", coupon, at: old);
        await using (var c = await factory.Database.OpenAsync())
        {
            await c.ExecuteAsync("UPDATE campaigns SET status = 'CANCELLED' WHERE id = @cancelledCampaign", new { cancelledCampaign });
        }

        var counts = await summary.SendAsync(CancellationToken.None);

        Assert.Equal(new DailySummaryCounts(2, 1, 3), counts);
        var alert = factory.Alerts.Raised[^1];
        Assert.Equal(DailySummary.Kind, alert.Kind);
        Assert.Equal(AlertSeverity.Warning, alert.Severity);
        Assert.Contains("발급 확인 필요 2건", alert.Message);
        Assert.Contains("오류 캠페인 1건", alert.Message);
        Assert.Contains("쿠폰 취소 실패 3건", alert.Message);
        Assert.DoesNotContain("CDTX", alert.Message); // counts only, no TR_IDs
        Assert.DoesNotContain("010", alert.Message);
        _ = open1;
    }

    [Fact]
    public async Task Runs_at_09_00_KST_in_the_jobs_role()
    {
        var registration = Assert.Single(factory.Services.GetServices<IJobRegistration>().OfType<DailySummary.Registration>());
        Assert.NotNull(registration);
        var trigger = TriggerBuilder.Create().WithCronSchedule(DailySummary.Registration.Cron, c => c.InTimeZone(Kst.Zone))
            .StartAt(new DateTimeOffset(2026, 11, 1, 0, 0, 0, TimeSpan.Zero)).Build();
        var next = trigger.GetFireTimeAfter(new DateTimeOffset(2026, 11, 25, 0, 30, 0, TimeSpan.Zero))!.Value; // 09:30 KST
        Assert.Equal(new DateTimeOffset(2026, 11, 26, 0, 0, 0, TimeSpan.Zero), next.ToUniversalTime()); // 09:00 KST next day
        await Task.CompletedTask;
    }
}
