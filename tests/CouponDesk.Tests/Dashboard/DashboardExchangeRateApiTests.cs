using System.Net;
using System.Text.Json;
using CouponDesk.Security;
using CouponDesk.Tests.Accounts;
using CouponDesk.TestSupport;
using Dapper;

namespace CouponDesk.Tests.Dashboard;

/// <summary>
/// The dashboard's 교환률 panel (issue 17 point 9, D-DASH-5): empty on a new system, then only campaigns that reached
/// sending within the window — not drafts, scheduled ones or old ones — each with used ÷ delivered (none used yet: 0 %
/// and no curve). The browser side is <c>DashboardExchangeRateTests</c>.
/// </summary>
public sealed class DashboardExchangeRateApiTests(CouponDeskFactory factory) : IClassFixture<CouponDeskFactory>
{
    [Fact]
    public async Task Lists_recent_sent_campaigns_only_and_starts_empty()
    {
        using var viewer = await factory.CreateClientAsync(Roles.Viewer);
        var empty = await ExchangeAsync(viewer);
        Assert.Equal(60, empty.GetProperty("windowDays").GetInt32());
        Assert.Equal(0, empty.GetProperty("campaigns").GetArrayLength());

        var now = DateTime.UtcNow;
        await using var c = await factory.Database.OpenAsync();
        var sent = await CampaignAsync(c, "COMPLETED", now.AddDays(-3), delivered: 4);
        await CampaignAsync(c, "SCHEDULED", now.AddDays(-1), delivered: 0);
        await CampaignAsync(c, "COMPLETED", now.AddDays(-90), delivered: 2);

        var campaign = Assert.Single((await ExchangeAsync(viewer)).GetProperty("campaigns").EnumerateArray());
        Assert.Equal(sent, campaign.GetProperty("id").GetInt64());
        Assert.Equal((4, 0, 0.0), (campaign.GetProperty("delivered").GetInt32(), campaign.GetProperty("used").GetInt32(), campaign.GetProperty("rate").GetDouble()));
        Assert.Equal(0, campaign.GetProperty("days").GetArrayLength());
    }

    private static async Task<JsonElement> ExchangeAsync(HttpClient client)
    {
        var json = await (await client.GetAsync("/api/dashboard")).JsonAsync(HttpStatusCode.OK);
        Assert.False(json.GetProperty("unavailable").TryGetProperty("exchange", out _));
        return json.GetProperty("exchangeRates");
    }

    /// <summary>A campaign in <paramref name="status"/> sent at <paramref name="at"/> with <paramref name="delivered"/> delivered items.</summary>
    internal static async Task<long> CampaignAsync(MySqlConnector.MySqlConnection c, string status, DateTime at, int delivered)
    {
        var id = await c.ExecuteScalarAsync<long>(
            """
            INSERT INTO campaigns (status, client_name, event_name, send_mode, scheduled_at, start_at, recipient_count, created_at, updated_at)
            VALUES (@status, '교환상사', '교환률 이벤트', 'AT', @at, @at, @delivered, @at, @at);
            SELECT LAST_INSERT_ID();
            """, new { status, at, delivered });
        for (var seq = 1; seq <= delivered; seq++)
        {
            await c.ExecuteAsync(
                "INSERT INTO delivery_items (campaign_id, list_id, seq, status, ever_delivered, created_at, updated_at) VALUES (@id, 0, @seq, 'SENT', 1, @at, @at)",
                new { id, seq, at });
        }

        return id;
    }
}
