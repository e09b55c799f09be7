using System.Net;
using System.Text.Json;
using CouponDesk.Features.Dashboard;
using CouponDesk.Security;
using CouponDesk.TestSupport;
using Dapper;
using Serilog.Events;

namespace CouponDesk.Tests.Dashboard;

/// <summary>
/// Issue 14 point 1: one panel that cannot be read does not take the dashboard down. It is logged (with its exception),
/// answered as null and named with a Korean message; every other panel still answers. And Quartz's fire times are
/// .NET ticks, not Unix milliseconds.
/// </summary>
public sealed class DashboardPanelFailureTests(DashboardPanelFailureTests.Factory factory) : IClassFixture<DashboardPanelFailureTests.Factory>
{
    public sealed class Factory : LoggedCouponDeskFactory;

    [Fact]
    public async Task A_failing_panel_is_logged_and_named_and_the_others_still_answer()
    {
        using var viewer = await factory.CreateClientAsync(Roles.Viewer);
        await using var c = await factory.Database.OpenAsync();
        await c.ExecuteAsync("RENAME TABLE coupon_cancels TO coupon_cancels_away");
        JsonElement json;
        try
        {
            var response = await viewer.GetAsync("/api/dashboard");
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            json = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        }
        finally
        {
            await c.ExecuteAsync("RENAME TABLE coupon_cancels_away TO coupon_cancels");
        }

        var unavailable = json.GetProperty("unavailable");
        Assert.Equal("확인 필요 정보를 불러오지 못했습니다. 잠시 후 다시 시도해 주세요.", unavailable.GetProperty(DashboardPanels.Attention).GetString());
        Assert.Single(unavailable.EnumerateObject());
        Assert.Equal(JsonValueKind.Null, json.GetProperty("inDoubtOrders").ValueKind);
        Assert.Equal(JsonValueKind.Null, json.GetProperty("gaveUpCouponCancels").ValueKind);
        Assert.Equal(0, json.GetProperty("today").GetProperty("total").GetInt32());
        Assert.Equal(JsonValueKind.Object, json.GetProperty("system").ValueKind);
        Assert.Equal(JsonValueKind.Array, json.GetProperty("runningCampaigns").ValueKind);
        Assert.Equal(JsonValueKind.Array, json.GetProperty("upcomingCampaigns").ValueKind);
        Assert.Equal(JsonValueKind.Object, json.GetProperty("failures").ValueKind);

        var logged = Assert.Single(factory.Logs.Events, e => e.Properties.TryGetValue("Panel", out var p) && p is ScalarValue { Value: DashboardPanels.Attention });
        Assert.Equal(LogEventLevel.Error, logged.Level);
        Assert.NotNull(logged.Exception);

        var again = JsonDocument.Parse(await viewer.GetStringAsync("/api/dashboard")).RootElement;
        Assert.Empty(again.GetProperty("unavailable").EnumerateObject());
        Assert.Equal(0, again.GetProperty("inDoubtOrders").GetInt32());
    }

    [Fact]
    public void A_quartz_fire_time_is_read_as_ticks_of_the_utc_instant()
    {
        var fired = new DateTimeOffset(2026, 12, 7, 5, 35, 12, TimeSpan.Zero).AddTicks(1234567);
        Assert.Equal(fired.UtcDateTime, SystemStatus.FromQuartzTime(fired.UtcTicks));
        Assert.Equal(DateTimeKind.Utc, SystemStatus.FromQuartzTime(fired.UtcTicks)!.Value.Kind);
        Assert.Null(SystemStatus.FromQuartzTime(null));
        Assert.Null(SystemStatus.FromQuartzTime(0));
        Assert.Null(SystemStatus.FromQuartzTime(long.MaxValue));
    }
}
