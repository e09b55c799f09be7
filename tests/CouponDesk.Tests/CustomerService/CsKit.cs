using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using CouponDesk.Features.Coupons;
using CouponDesk.Tests.Pipeline;
using CouponDesk.Tests.Pipeline.Resends;
using Dapper;
using Microsoft.Extensions.DependencyInjection;

namespace CouponDesk.Tests.CustomerService;

/// <summary>Shared pieces of the C/S tests: a delivered campaign, the API calls, the stand-ins' witnesses, a state snapshot.</summary>
public static class CsKit
{
    /// <summary>Fast after-send loops, the night window off (start = end; a test about it switches it on through 설정), a quick C/S follow-up.</summary>
    public static readonly KeyValuePair<string, string?>[] Settings =
    [
        .. AfterSendKit.FastSettings,
        new("Campaigns:NightStartHour", "0"),
        new("Campaigns:NightEndHour", "0"),
        new("CustomerService:FollowUpPollSeconds", "1"),
    ];

    public static Task<PipelineHarness> StartAsync(params KeyValuePair<string, string?>[] extra) =>
        PipelineHarness.StartAsync("web,worker", [.. Settings, .. extra]);

    /// <summary>A campaign of <paramref name="recipients"/> (phones 010-0000-{first}…) that was issued, sent and delivered (COMPLETED).</summary>
    public static async Task<long> DeliveredCampaignAsync(PipelineHarness h, int recipients, int firstPhone = 1)
    {
        var id = await h.ScheduleCampaignAsync(recipients, firstPhone);
        Assert.Equal("COMPLETED", await h.WaitForAsync(id, 90, "COMPLETED", "PARTIALLY_FAILED", "FAILED"));
        return id;
    }

    public static string Phone(int n) => "0100" + n.ToString("D7", System.Globalization.CultureInfo.InvariantCulture);

    public static Task<long> ItemAsync(PipelineHarness h, long campaignId, int seq) =>
        AfterSendKit.ScalarAsync<long>(h, "SELECT id FROM delivery_items WHERE campaign_id = @campaignId AND seq = @seq", new { campaignId, seq });

    public static async Task<string> CouponNumberAsync(PipelineHarness h, long itemId)
    {
        var couponId = await AfterSendKit.ScalarAsync<long>(h, "SELECT coupon_id FROM delivery_items WHERE id = @itemId", new { itemId });
        return (await h.BackOffice.Services.GetRequiredService<CouponRepository>().RevealNumberAsync(couponId))!;
    }

    public static async Task<JsonElement> SearchAsync(HttpClient client, string? phone = null, string? coupon = null, HttpStatusCode expected = HttpStatusCode.OK)
    {
        return await (await client.PostAsJsonAsync("/api/cs/search", new { phone, couponNumber = coupon })).JsonAsync(expected);
    }

    public static long[] ItemIds(JsonElement page) => [.. page.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("itemId").GetInt64())];

    public static async Task<JsonElement> RowAsync(HttpClient client, long itemId) =>
        (await (await client.GetAsync($"/api/cs/items/{itemId}")).JsonAsync(HttpStatusCode.OK)).GetProperty("row");

    public static async Task<int> VersionAsync(HttpClient client, long itemId) => (await RowAsync(client, itemId)).GetProperty("version").GetInt32();

    public static Task<HttpResponseMessage> ActAsync(HttpClient client, long itemId, string action, object body) =>
        client.PostAsJsonAsync($"/api/cs/items/{itemId}/{action}", body);

    /// <summary>The COUFUN stand-in's own record of a coupon (its STATUS: 000 / 001 / 100).</summary>
    public static async Task<JsonElement> StandInCouponAsync(PipelineHarness h, string number) =>
        (await h.Coufun.Client.PostAsJsonAsync("_control/coupons/find", new { barcodeNum = number })).EnsureSuccessStatusCode() is var r
            ? JsonDocument.Parse(await r.Content.ReadAsStringAsync()).RootElement
            : default;

    public static async Task<int> StandInCouponCountAsync(PipelineHarness h) =>
        JsonDocument.Parse(await h.Coufun.Client.GetStringAsync("_control/totals")).RootElement.GetProperty("coupons").GetInt32();

    public static Task WaitForItemAsync(PipelineHarness h, long itemId, string status, int seconds = 60) =>
        AfterSendKit.WaitAsync(async () => await AfterSendKit.ScalarAsync<string>(h, "SELECT status FROM delivery_items WHERE id = @itemId", new { itemId }) == status, seconds);

    /// <summary>
    /// Everything a C/S action could change, as one string: items, coupons, messages, the agent's queue, C/S history,
    /// number changes, recipient rows, COUFUN cancels. Equal before and after = the request changed nothing.
    /// </summary>
    public static async Task<string> SnapshotAsync(PipelineHarness h)
    {
        await using var c = await h.Database.OpenAsync();
        var parts = new List<string>();
        foreach (var sql in new[]
                 {
                     "SELECT id, status, version, message_id, coupon_id, resend_count, phone_change_count, resend_due_at, parent_item_id FROM delivery_items ORDER BY id",
                     "SELECT id, status, balance, supplier_status FROM coupons ORDER BY id",
                     "SELECT id, status, message_type, client_key FROM messages ORDER BY id",
                     "SELECT CLIENT_KEY, MSG_STATUS FROM UMS_MSG ORDER BY CLIENT_KEY",
                     "SELECT id, action, result FROM cs_actions ORDER BY id",
                     "SELECT id, item_id, new_item_id FROM phone_changes ORDER BY id",
                     "SELECT list_id, seq, HEX(phone_bidx) FROM recipient_list_rows ORDER BY list_id, seq",
                     "SELECT coupon_id, state, attempts FROM coupon_cancels ORDER BY coupon_id",
                     "SELECT id, status FROM issuance_orders ORDER BY id",
                     "SELECT COUNT(*) FROM coupon_status_history",
                 })
        {
            var rows = await c.QueryAsync(sql);
            parts.Add(string.Join(";", rows.Select(r => string.Join(",", ((IDictionary<string, object?>)r).Values))));
        }

        return string.Join("\n", parts);
    }

    /// <summary>The SNAP stand-in's deliveries of one item's messages: (client key, type, phone, times delivered).</summary>
    public static async Task<List<(string Key, string Type, string? Phone, int Delivered)>> DeliveriesAsync(PipelineHarness h, long itemId)
    {
        await using var c = await h.Database.OpenAsync();
        return [.. await c.QueryAsync<(string, string, string?, int)>(
            """
            SELECT m.client_key, m.message_type, l.phone, COALESCE(l.deliver_count, 0) FROM messages m
            LEFT JOIN snapstandin_deliveries l ON l.client_key = m.client_key COLLATE utf8mb4_general_ci
            WHERE m.recipient_id = @itemId ORDER BY m.id
            """, new { itemId })];
    }

    public static async Task<string> CodeAsync(HttpResponseMessage response, HttpStatusCode expected) =>
        (await response.JsonAsync(expected)).GetProperty("code").GetString()!;
}
