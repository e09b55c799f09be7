using System.Globalization;
using System.Net;
using CouponDesk.Security;
using CouponDesk.Shared.Time;
using CouponDesk.Tests.Accounts;
using CouponDesk.TestSupport;

namespace CouponDesk.Tests.Reconciliation;

/// <summary>The per-day reconciliation report (issue 8) on inserted rows: only what happened within the KST day counts.</summary>
public sealed class DailyReportTests(DailyReportTests.Factory factory) : IClassFixture<DailyReportTests.Factory>
{
    /// <summary>Its own database: the report's totals are exact.</summary>
    public sealed class Factory : CouponDeskFactory
    {
        public ReconciliationData Data => new(Services);
    }

    [Fact]
    public async Task Counts_in_doubt_orders_undelivered_coupons_resend_recommended_failures_and_cost_of_one_KST_day()
    {
        // 2026-03-10 KST runs from 2026-03-09 15:00 UTC to 2026-03-10 15:00 UTC.
        var inDay = new DateTime(2026, 3, 9, 15, 30, 0, DateTimeKind.Utc); // 00:30 KST on the 10th
        var dayBefore = new DateTime(2026, 3, 9, 14, 59, 0, DateTimeKind.Utc); // 23:59 KST on the 9th
        var campaign = await factory.Data.CampaignAsync(4, firstPhone: 100);
        var (inDoubt, trId) = await factory.Data.InDoubtOrderAsync(campaign, count: 3, createdAt: inDay);
        await factory.Data.InDoubtOrderAsync(campaign, count: 1, createdAt: dayBefore);

        var sent = await factory.Data.CouponAsync(Number(), inDay);
        await factory.Data.ItemAsync(campaign, 1, "SENT", sent, everDelivered: true);
        var failed = await factory.Data.CouponAsync(Number(), inDay);
        var failedItem = await factory.Data.ItemAsync(campaign, 2, "SEND_FAILED", failed);
        await factory.Data.MessageAsync(campaign, failedItem, failed, "FAILURE", "RESEND_RECOMMENDED", resultAt: inDay.AddHours(2));
        var cancelled = await factory.Data.CouponAsync(Number(), inDay);
        await factory.Data.ItemAsync(campaign, 3, "CANCELLED", cancelled);
        var earlier = await factory.Data.CouponAsync(Number(), dayBefore);
        await factory.Data.ItemAsync(campaign, 4, "RENDER_FAILED", earlier);

        var client = await factory.CreateClientAsync(Roles.Operator);
        var report = await (await client.GetAsync("/api/reconciliation/daily?date=2026-03-10")).JsonAsync(HttpStatusCode.OK);

        Assert.Equal("2026-03-10", report.GetProperty("date").GetString());
        var orders = report.GetProperty("inDoubtOrders").EnumerateArray().ToList();
        Assert.Equal(inDoubt, Assert.Single(orders).GetProperty("orderId").GetInt64());
        Assert.Equal(trId, orders[0].GetProperty("trId").GetString());
        Assert.Equal(PipelineCampaigns.GoodsId, orders[0].GetProperty("goodsId").GetString());
        Assert.Equal(3, orders[0].GetProperty("createCount").GetInt32());
        Assert.Equal(13500, orders[0].GetProperty("value").GetInt64());
        Assert.Equal(1, report.GetProperty("openInDoubtOrders").GetInt32());
        Assert.Equal(2, report.GetProperty("issuedNotDelivered").GetInt32()); // the failed and the cancelled one, not the day before's
        Assert.Equal(1, report.GetProperty("resendRecommendedFailures").GetInt32());
        Assert.Equal(3, report.GetProperty("couponsIssued").GetInt64());
        Assert.Equal(3 * 4230, report.GetProperty("totalCost").GetInt64());
        Assert.Equal(3 * 4500, report.GetProperty("issuedValue").GetInt64());

        var before = await (await client.GetAsync("/api/reconciliation/daily?date=2026-03-09")).JsonAsync(HttpStatusCode.OK);
        Assert.Single(before.GetProperty("inDoubtOrders").EnumerateArray());
        Assert.Equal(1, before.GetProperty("couponsIssued").GetInt64());
        Assert.Equal(1, before.GetProperty("issuedNotDelivered").GetInt32());

        // The campaign's own report runs the same queries over the whole campaign.
        var whole = await (await client.GetAsync($"/api/campaigns/{campaign}/pipeline/reconciliation")).JsonAsync(HttpStatusCode.OK);
        Assert.Equal(2, whole.GetProperty("inDoubtOrders").GetArrayLength());
        Assert.Equal(3, whole.GetProperty("issuedNotDelivered").GetInt32());
        Assert.Equal(1, whole.GetProperty("resendRecommendedFailures").GetInt32());
    }

    [Fact]
    public async Task Today_in_KST_is_the_default()
    {
        var client = await factory.CreateClientAsync(Roles.Admin);
        var report = await (await client.GetAsync("/api/reconciliation/daily")).JsonAsync(HttpStatusCode.OK);
        var today = DateOnly.FromDateTime(Kst.ToKst(DateTime.UtcNow)).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        var yesterday = DateOnly.FromDateTime(Kst.ToKst(DateTime.UtcNow)).AddDays(-1).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        Assert.Contains(report.GetProperty("date").GetString(), new[] { today, yesterday }); // a run across KST midnight
    }

    [Theory]
    [InlineData("2026-3-10")]
    [InlineData("10-03-2026")]
    [InlineData("2026-02-30")]
    [InlineData("2026-03-10' OR '1'='1")]
    [InlineData("2026-03-10T00:00:00")]
    public async Task A_bad_date_is_refused(string date)
    {
        var client = await factory.CreateClientAsync(Roles.Operator);
        var problem = await (await client.GetAsync("/api/reconciliation/daily?date=" + Uri.EscapeDataString(date))).JsonAsync(HttpStatusCode.BadRequest);
        Assert.Equal(["날짜는 YYYY-MM-DD 형식으로 입력해 주세요."], problem.GetProperty("errors").GetProperty("date").EnumerateArray().Select(e => e.GetString()));
    }

    [Fact]
    public async Task An_oversized_date_is_refused()
    {
        var client = await factory.CreateClientAsync(Roles.Operator);
        Assert.Equal(HttpStatusCode.BadRequest, (await client.GetAsync("/api/reconciliation/daily?date=" + new string('2', 5000))).StatusCode);
    }

    internal static string Number() => "9" + Random.Shared.NextInt64(10_000_000_000, 99_999_999_999).ToString(CultureInfo.InvariantCulture);
}
