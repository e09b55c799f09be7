using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using CouponDesk.Features.Reconciliation;
using CouponDesk.Security;
using CouponDesk.Shared.Time;
using CouponDesk.Tests.Accounts;
using CouponDesk.Tests.Pipeline;
using Dapper;

namespace CouponDesk.Tests.Reconciliation;

/// <summary>
/// Real data: a small campaign against both stand-ins whose first create answer COUFUN drops. The in-doubt order shows
/// in the day's report exactly as in the campaign's; the supplier (the stand-in's ledger) names the coupons that TR_ID
/// bought, an ADMIN settles it as issued, and those coupons end cancelled at COUFUN — no recipient touched, nothing resent.
/// </summary>
public sealed class ReconciliationPipelineTests
{
    [Fact]
    public async Task An_in_doubt_order_of_a_real_campaign_is_in_the_daily_report_and_settling_it_cancels_exactly_its_coupons()
    {
        await using var h = await PipelineHarness.StartAsync();
        await h.Coufun.SetFaultsAsync(new { endpoints = new[] { "create" }, dropAfterCreateRate = 1.0, remaining = 1 });
        var id = await h.ScheduleCampaignAsync(12);
        Assert.Equal("COMPLETED", await h.WaitForAsync(id, 60, "COMPLETED", "PARTIALLY_FAILED", "FAILED", "ERROR"));

        using var admin = await h.SignInAsync(Roles.Admin);
        var campaignReport = await admin.GetFromJsonAsync<ReconciliationReport>($"/api/campaigns/{id}/pipeline/reconciliation");
        var order = campaignReport!.InDoubtOrders[0];
        var day = DateOnly.FromDateTime(Kst.ToKst(order.CreatedAt)).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        var daily = await (await admin.GetAsync($"/api/reconciliation/daily?date={day}")).JsonAsync(HttpStatusCode.OK);
        var dailyOrders = daily.GetProperty("inDoubtOrders").EnumerateArray().Select(o => o.GetProperty("trId").GetString()).ToList();
        Assert.Contains(order.TrId, dailyOrders);
        Assert.Equal(campaignReport.InDoubtOrders.Count(o => DateOnly.FromDateTime(Kst.ToKst(o.CreatedAt)).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) == day), dailyOrders.Count);
        Assert.True(daily.GetProperty("couponsIssued").GetInt64() >= 1);
        Assert.True(daily.GetProperty("totalCost").GetInt64() > 0);
        Assert.Equal(order.Value, daily.GetProperty("inDoubtOrders").EnumerateArray().Single(o => o.GetProperty("trId").GetString() == order.TrId).GetProperty("value").GetInt64());

        // The supplier reads out what the TR_ID bought; the ADMIN types it in.
        var numbers = await ReconciliationData.StandInNumbersAsync(h.Coufun, order.TrId!);
        Assert.NotEmpty(numbers);
        int storedBefore;
        await using (var c = await h.Database.OpenAsync())
        {
            storedBefore = await c.ExecuteScalarAsync<int>("SELECT COUNT(*) FROM coupons WHERE status = 'UNUSED'");
        }

        var settled = await (await admin.PostAsJsonAsync($"/api/in-doubt-orders/{order.OrderId}/settle", new { outcome = "ISSUED", memo = "공급사 확인: 응답 유실 주문 생성됨", couponNumbers = numbers })).JsonAsync(HttpStatusCode.OK);

        Assert.Equal("정리 완료", settled.GetProperty("stateLabel").GetString());
        foreach (var number in numbers)
        {
            Assert.Equal("100", await ReconciliationData.StandInStatusAsync(h.Coufun, number));
        }

        var w = await PipelineWitness.ReadAsync(h.Database, h.Coufun, id);
        Assert.Equal(12, w.SentItems);
        Assert.Equal(0, w.RecipientsDeliveredTwice);
        await using (var c = await h.Database.OpenAsync())
        {
            // The recipients' own coupons are untouched.
            Assert.Equal(storedBefore, await c.ExecuteScalarAsync<int>("SELECT COUNT(*) FROM coupons WHERE status = 'UNUSED'"));
        }

        var after = await admin.GetFromJsonAsync<ReconciliationReport>($"/api/campaigns/{id}/pipeline/reconciliation");
        Assert.Equal("SETTLED_ISSUED", after!.InDoubtOrders.Single(o => o.OrderId == order.OrderId).Status);
    }
}
