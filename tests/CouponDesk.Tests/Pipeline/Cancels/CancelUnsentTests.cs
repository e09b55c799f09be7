using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using CouponDesk.Tests.Pipeline.Resends;
using Dapper;
using Microsoft.Extensions.DependencyInjection;

namespace CouponDesk.Tests.Pipeline.Cancels;

/// <summary>
/// 미발송분 취소 (C12, C13b): <c>POST /api/campaigns/{id}/pipeline/cancel-unsent</c> against both stand-ins. Issuance is
/// slowed (one coupon per call, 400 ms each, one call at a time), so when the campaign is paused after its first
/// deliveries, part of it has never reached the agent.
/// </summary>
public sealed class CancelUnsentTests
{
    private static readonly KeyValuePair<string, string?>[] SlowIssuance =
    [
        .. AfterSendKit.FastSettings,
        new("Pipeline:IssueConcurrency", "1"),
        new("Pipeline:CouponsPerOrder", "1"),
    ];

    /// <summary>
    /// A SENDING campaign of <paramref name="recipients"/> whose first delivery went through, then the agent stopped taking
    /// messages, the rest were queued, and the campaign was paused (its ready rows withdrawn, those items back to ISSUED
    /// with their coupons). Returns the campaign id; the agent stays paused.
    /// </summary>
    public static async Task<long> PausedAfterFirstDeliveryAsync(PipelineHarness h, HttpClient client, int recipients)
    {
        // One coupon per call, one call at a time, 2 s each: when the first delivery's result is in (the result sync runs
        // every second) at most one or two more coupons exist, so most items are still unsent when the agent stops.
        await h.Coufun.SetFaultsAsync(new { endpoints = new[] { "create" }, latencyMinMs = 2000, latencyMaxMs = 2000 });
        var id = await h.ScheduleCampaignAsync(recipients);
        await AfterSendKit.WaitAsync(async () => await AfterSendKit.CountAsync(h, id, "SENT") >= 1);
        using var snap = h.Snap.CreateClient();
        (await snap.PostAsync("_control/pause", null)).EnsureSuccessStatusCode();
        await AfterSendKit.WaitAsync(async () => await AfterSendKit.CountAsync(h, id, "QUEUED") + await AfterSendKit.CountAsync(h, id, "SENT") == recipients);
        await h.Coufun.ClearFaultsAsync();
        await (await client.PostAsync($"/api/campaigns/{id}/pipeline/pause", null)).JsonAsync(HttpStatusCode.OK);
        return id;
    }

    [Fact]
    public async Task The_unsent_part_is_cancelled_with_its_coupons_and_the_rest_finishes()
    {
        await using var h = await PipelineHarness.StartAsync(extra: SlowIssuance);
        using var client = await AfterSendKit.OperatorAsync(h);
        var id = await PausedAfterFirstDeliveryAsync(h, client, 6);
        var unsent = await AfterSendKit.CountAsync(h, id, "ISSUED");

        var reason = "고객사 요청 <b>중단</b> 010-0000-0001";
        var answer = await (await client.PostAsJsonAsync($"/api/campaigns/{id}/pipeline/cancel-unsent", new { reason })).JsonAsync(HttpStatusCode.OK);
        var cancelledItems = answer.GetProperty("cancelledItems").GetInt32();
        var states = string.Join(",", (await AfterSendKit.LedgerAsync(h, id)).Select(i => $"{i.Status}:{i.Types}:{i.Delivered}"));
        Assert.True(unsent >= 1, "some items had not reached the agent: " + states);
        Assert.True(unsent == cancelledItems, $"{unsent} unsent, {cancelledItems} cancelled: {states}");
        Assert.Equal(unsent, cancelledItems);
        // Normally all cancelled at once; a worker's cancel loop may have claimed a row first, which then counts as pending.
        Assert.Equal(unsent, answer.GetProperty("couponsCancelled").GetInt32() + answer.GetProperty("couponCancelsPending").GetInt32());
        using (var snap = h.Snap.CreateClient())
        {
            (await snap.PostAsync("_control/resume", null)).EnsureSuccessStatusCode(); // messages the agent holds get their results
        }

        var final = await h.WaitForAsync(id, 60, "COMPLETED", "PARTIALLY_FAILED", "FAILED", "CANCELLED");
        Assert.Equal("COMPLETED", final); // C13b: computed over the items that were not cancelled
        await using var c = await h.Database.OpenAsync();
        var cancelled = await c.ExecuteScalarAsync<int>("SELECT COUNT(*) FROM delivery_items WHERE campaign_id = @id AND status = 'CANCELLED'", new { id });
        var sent = await c.ExecuteScalarAsync<int>("SELECT COUNT(*) FROM delivery_items WHERE campaign_id = @id AND status = 'SENT'", new { id });
        Assert.Equal(6, cancelled + sent);
        Assert.Equal(cancelledItems, cancelled);

        // Every coupon of a cancelled item is cancelled — at COUFUN too (its stand-in answers 18 "already cancelled" now).
        var couponsOfCancelled = (await c.QueryAsync<long>(
            "SELECT coupon_id FROM delivery_items WHERE campaign_id = @id AND status = 'CANCELLED' AND coupon_id IS NOT NULL", new { id })).ToList();
        Assert.Equal(unsent, (await c.QueryAsync<long>(
            "SELECT coupon_id FROM coupon_cancels WHERE campaign_id = @id AND source = 'PARTIAL_CANCEL' AND state = 'DONE'", new { id })).Count());
        foreach (var coupon in couponsOfCancelled)
        {
            Assert.Equal("CANCELLED", await c.ExecuteScalarAsync<string>("SELECT status FROM coupons WHERE id = @coupon", new { coupon }));
            Assert.Equal("DONE", await c.ExecuteScalarAsync<string>("SELECT state FROM coupon_cancels WHERE coupon_id = @coupon", new { coupon }));
        }

        var sample = await c.ExecuteScalarAsync<long?>("SELECT MIN(coupon_id) FROM delivery_items WHERE campaign_id = @id AND status = 'CANCELLED'", new { id });
        if (sample is { } couponId)
        {
            var number = await h.BackOffice.Services.GetRequiredService<global::CouponDesk.Features.Coupons.CouponRepository>().RevealNumberAsync(couponId);
            var again = await CouponDesk.TestSupport.CoufunStandInHost.TextAsync(await h.Coufun.PostAsync("coufunPartCancel.do",
                $"POC_ID={Uri.EscapeDataString(h.BackOffice.Services.GetRequiredService<global::CouponDesk.Integrations.Coufun.CoufunOptions>().PocId)}&GOODS_ID={CouponDesk.TestSupport.PipelineCampaigns.GoodsId}&BARCODE_NUM={number}"));
            Assert.Contains("<RESULT_CODE>18</RESULT_CODE>", again, StringComparison.Ordinal);
        }

        // No cancelled recipient ever got a message from the agent; the sent ones got exactly one.
        foreach (var item in await AfterSendKit.LedgerAsync(h, id))
        {
            Assert.Equal(item.Status == "SENT" ? 1 : 0, item.Delivered);
        }

        var audit = await c.QuerySingleAsync<(string Reason, string Details)>(
            "SELECT reason, details FROM audit_log WHERE action = 'campaign.cancel-unsent' AND target_id = @target", new { target = id.ToString(CultureInfo.InvariantCulture) });
        Assert.DoesNotContain("0000-0001", audit.Reason, StringComparison.Ordinal); // masked in the audit trail
        Assert.Contains(cancelledItems.ToString(CultureInfo.InvariantCulture), audit.Details, StringComparison.Ordinal);
        Assert.Equal(reason, await c.ExecuteScalarAsync<string>("SELECT cancel_reason FROM campaigns WHERE id = @id", new { id }));
    }

    [Fact]
    public async Task Bad_reasons_wrong_states_and_viewers_are_refused_and_change_nothing()
    {
        await using var h = await PipelineHarness.StartAsync(roles: "web");
        var id = await h.ScheduleCampaignAsync(2);
        using var client = await AfterSendKit.OperatorAsync(h);
        var url = $"/api/campaigns/{id}/pipeline/cancel-unsent";

        // Wrong state: SCHEDULED. The answer points to 일괄취소, which takes a scheduled campaign (issue 24).
        var notStopped = await (await client.PostAsJsonAsync(url, new { reason = "사유" })).JsonAsync(HttpStatusCode.Conflict);
        Assert.Equal("CAMPAIGN_NOT_STOPPED", notStopped.GetProperty("code").GetString());
        Assert.Contains("일괄취소", notStopped.GetProperty("detail").GetString(), StringComparison.Ordinal);

        foreach (var target in new[] { url, $"/api/campaigns/{id}/pipeline/cancel" })
        {
            foreach (var body in new object?[]
                     {
                         null, new { }, new { reason = "" }, new { reason = "   " }, new { reason = new string('가', 201) },
                         new { reason = "줄\n바꿈" }, new { reason = "nul\u0000" }, new { reason = "\u202Eevil" }, new { reason = "lone \uD800" },
                     })
            {
                var response = body is null
                    ? await client.PostAsync(target, new StringContent("", System.Text.Encoding.UTF8, "application/json"))
                    : await client.PostAsJsonAsync(target, body);
                var problem = await response.JsonAsync(HttpStatusCode.BadRequest);
                Assert.True(problem.GetProperty("errors").TryGetProperty("reason", out _), $"field error for {body} at {target}");
            }

            Assert.Equal(HttpStatusCode.BadRequest, (await client.PostAsync(target, new StringContent("{\"reason\":", System.Text.Encoding.UTF8, "application/json"))).StatusCode);
            using var viewer = await AfterSendKit.ViewerAsync(h);
            Assert.Equal(HttpStatusCode.Forbidden, (await viewer.PostAsJsonAsync(target, new { reason = "사유" })).StatusCode);
        }

        Assert.Equal(HttpStatusCode.NotFound, (await client.PostAsJsonAsync("/api/campaigns/999999/pipeline/cancel-unsent", new { reason = "사유" })).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await client.PostAsJsonAsync("/api/campaigns/999999/pipeline/cancel", new { reason = "사유" })).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync("/api/campaigns/999999/pipeline/cancel/preview")).StatusCode);

        // 200 characters is the limit, not over it.
        Assert.Null(global::CouponDesk.Features.Pipeline.Cancels.CampaignCancelEndpoints.CheckReason(new string('가', 200)));
        Assert.Equal("SCHEDULED", await h.StatusAsync(id));
        Assert.Equal(0L, await AfterSendKit.ScalarAsync<long>(h, "SELECT COUNT(*) FROM audit_log WHERE action LIKE 'campaign.cancel%'"));
        Assert.Equal(0L, await AfterSendKit.ScalarAsync<long>(h, "SELECT COUNT(*) FROM coupon_cancels"));
        Assert.Null(await AfterSendKit.ScalarAsync<string?>(h, "SELECT cancel_reason FROM campaigns WHERE id = @id", new { id }));

        // PAUSED before anything reached the agent: 미발송분 취소 no longer sends the operator to 일괄취소 — it cancels it all.
        await using (var c = await h.Database.OpenAsync())
        {
            await c.ExecuteAsync("UPDATE campaigns SET status = 'PAUSED' WHERE id = @id", new { id });
        }

        var whole = await (await client.PostAsJsonAsync(url, new { reason = "사유" })).JsonAsync(HttpStatusCode.OK);
        Assert.True(whole.GetProperty("whole").GetBoolean());
        Assert.Equal("발송이 취소되었습니다.", whole.GetProperty("message").GetString());
        Assert.Equal("CANCELLING", await h.StatusAsync(id));
        var again = await (await client.PostAsJsonAsync(url, new { reason = "사유" })).JsonAsync(HttpStatusCode.Conflict);
        Assert.Equal("CAMPAIGN_ALREADY_CANCELLED", again.GetProperty("code").GetString());
    }
}
