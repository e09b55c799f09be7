using System.Net;
using System.Net.Http.Json;
using CouponDesk.Tests.CustomerService;
using CouponDesk.Tests.Pipeline.Resends;
using Dapper;

namespace CouponDesk.Tests.Pipeline.Cancels;

/// <summary>
/// 미사용 쿠폰 일괄 폐기 (spec P9, §3.3.3): ADMIN only, a finished campaign, the event name typed to confirm; every unused,
/// unexpired coupon is cancelled at COUFUN through the cancel follow-up, refusals are listed in 공급사 취소 실패, the answer
/// says COMPLETED / PARTIALLY_FAILED / FAILED with counts, and the request is audited. A refused request changes nothing.
/// </summary>
public sealed class DiscardUnusedTests
{
    /// <summary>일괄 폐기 승인 is on by default (spec §1.3); these tests are about the discard itself (ApprovalWorkflowTests covers the request).</summary>
    private static readonly KeyValuePair<string, string?> DirectBulkDiscard = new("Approvals:BulkDiscard", "false");

    private static string Path(long id) => $"/api/campaigns/{id}/coupons/discard-unused";

    [Fact]
    public async Task An_ADMIN_typing_the_event_name_discards_every_unused_coupon_and_refusals_are_listed()
    {
        await using var h = await CsKit.StartAsync(DirectBulkDiscard);
        var id = await CsKit.DeliveredCampaignAsync(h, 4);
        using var admin = await h.SignInAsync("ADMIN");
        using var operatorClient = await h.SignInAsync("OPERATOR");
        var numbers = new Dictionary<int, string>();
        for (var seq = 1; seq <= 4; seq++)
        {
            numbers[seq] = await CsKit.CouponNumberAsync(h, await CsKit.ItemAsync(h, id, seq));
        }

        // Coupon 1 was used (we know it); coupon 2 was used at a store but the push was lost: COUFUN refuses its cancel (17).
        await using (var c = await h.Database.OpenAsync())
        {
            await c.ExecuteAsync("UPDATE coupons k JOIN delivery_items d ON d.coupon_id = k.id SET k.status = 'USED', k.balance = 0 WHERE d.campaign_id = @id AND d.seq = 1", new { id });
        }

        await using (var s = await h.Coufun.Database.OpenAsync())
        {
            await s.ExecuteAsync("UPDATE coupons SET status = '001' WHERE barcode_num IN @used", new { used = new[] { numbers[1], numbers[2] } });
        }

        // 교환률 (point 9): 1 of 4 delivered coupons is used.
        var rate = await (await admin.GetAsync($"/api/campaigns/{id}/exchange-rate")).JsonAsync(HttpStatusCode.OK);
        Assert.Equal((4, 1, 25.0), (rate.GetProperty("delivered").GetInt32(), rate.GetProperty("used").GetInt32(), rate.GetProperty("rate").GetDouble()));
        Assert.Equal(HttpStatusCode.NotFound, (await admin.GetAsync($"/api/campaigns/{id + 1000}/exchange-rate")).StatusCode);

        var before = await CsKit.SnapshotAsync(h);
        Assert.Equal(HttpStatusCode.Forbidden, (await operatorClient.PostAsJsonAsync(Path(id), new { eventName = "파이프라인 테스트" })).StatusCode);
        var wrong = await (await admin.PostAsJsonAsync(Path(id), new { eventName = "파이프라인 테스트 " + "x" })).JsonAsync(HttpStatusCode.BadRequest);
        Assert.True(wrong.GetProperty("errors").TryGetProperty("eventName", out _));
        Assert.Equal(HttpStatusCode.BadRequest, (await admin.PostAsJsonAsync(Path(id), new { eventName = "" })).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await admin.PostAsJsonAsync(Path(id), new { })).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await admin.PostAsJsonAsync(Path(id), new { eventName = new string('가', 51) })).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await admin.PostAsync(Path(id), new StringContent("{\"eventName\":", System.Text.Encoding.UTF8, "application/json"))).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await admin.PostAsJsonAsync(Path(id + 1000), new { eventName = "파이프라인 테스트" })).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await admin.GetAsync(Path(id))).StatusCode);
        Assert.Equal(before, await CsKit.SnapshotAsync(h)); // refused requests changed nothing

        var result = await (await admin.PostAsJsonAsync(Path(id), new { eventName = " 파이프라인 테스트 " })).JsonAsync(HttpStatusCode.OK);
        // The request makes the first attempts itself; when the worker's cancel loop claimed a row first, the answer is
        // RUNNING and the status read shows the end (seen in CI).
        for (var i = 0; i < 150 && result.GetProperty("state").GetString() == "RUNNING"; i++)
        {
            await Task.Delay(200);
            result = await (await admin.GetAsync(Path(id))).JsonAsync(HttpStatusCode.OK);
        }

        Assert.Equal("PARTIALLY_FAILED", result.GetProperty("state").GetString());
        Assert.Equal((3, 2, 1, 0), (result.GetProperty("total").GetInt32(), result.GetProperty("cancelled").GetInt32(), result.GetProperty("failed").GetInt32(), result.GetProperty("pending").GetInt32()));
        Assert.Equal("100", (await CsKit.StandInCouponAsync(h, numbers[3])).GetProperty("status").GetString());
        Assert.Equal("100", (await CsKit.StandInCouponAsync(h, numbers[4])).GetProperty("status").GetString());
        Assert.Equal(2, await AfterSendKit.ScalarAsync<int>(h,
            "SELECT COUNT(*) FROM coupons k JOIN delivery_items d ON d.coupon_id = k.id WHERE d.campaign_id = @id AND k.status = 'CANCELLED'", new { id }));
        Assert.Equal(2, await AfterSendKit.ScalarAsync<int>(h,
            "SELECT COUNT(*) FROM coupon_status_history h JOIN delivery_items d ON d.coupon_id = h.coupon_id WHERE d.campaign_id = @id AND h.new_status = 'CANCELLED'", new { id }));
        Assert.Equal(1, await AfterSendKit.ScalarAsync<int>(h, "SELECT COUNT(*) FROM audit_log WHERE action = 'campaign.discard-unused' AND target_id = @id", new { id = id.ToString(System.Globalization.CultureInfo.InvariantCulture) }));
        // The refusal is listed in 공급사 취소 실패 under its source; the count stays readable.
        var listed = await (await admin.GetAsync("/api/reconciliation/coupon-cancels?state=REFUSED")).JsonAsync(HttpStatusCode.OK);
        var refused = Assert.Single(listed.GetProperty("items").EnumerateArray());
        Assert.Equal("미사용 쿠폰 일괄 폐기", refused.GetProperty("sourceLabel").GetString());
        var status = await (await admin.GetAsync(Path(id))).JsonAsync(HttpStatusCode.OK);
        Assert.Equal("PARTIALLY_FAILED", status.GetProperty("state").GetString());
        // Nothing is left to discard.
        Assert.Equal("NO_UNUSED_COUPONS", await CsKit.CodeAsync(await admin.PostAsJsonAsync(Path(id), new { eventName = "파이프라인 테스트" }), HttpStatusCode.Conflict));
    }

    [Fact]
    public async Task A_campaign_that_has_not_finished_is_refused()
    {
        await using var h = await CsKit.StartAsync(DirectBulkDiscard);
        var id = await h.ScheduleCampaignAsync(2, sendAtUtc: DateTime.UtcNow.AddDays(2));
        using var admin = await h.SignInAsync("ADMIN");
        await using (var c = await h.Database.OpenAsync())
        {
            Assert.NotEqual("COMPLETED", await c.ExecuteScalarAsync<string>("SELECT status FROM campaigns WHERE id = @id", new { id }));
        }

        Assert.Equal("CAMPAIGN_NOT_FINISHED", await CsKit.CodeAsync(await admin.PostAsJsonAsync(Path(id), new { eventName = "파이프라인 테스트" }), HttpStatusCode.Conflict));
        Assert.Equal(0, await AfterSendKit.ScalarAsync<int>(h, "SELECT COUNT(*) FROM coupon_cancels"));
        Assert.Equal(0, await AfterSendKit.ScalarAsync<int>(h, "SELECT COUNT(*) FROM audit_log WHERE action = 'campaign.discard-unused'"));
    }
}
