using System.Net.Http.Json;
using System.Text.Json;
using CouponDesk.Features.Pipeline;
using CouponDesk.Features.Pipeline.Scheduling;
using CouponDesk.Security;
using CouponDesk.Tests.Alerts;
using Dapper;
using Microsoft.Extensions.DependencyInjection;

namespace CouponDesk.Tests.Pipeline.Scheduling;

/// <summary>
/// Spec §5.1 (D-PIPE-27): items of a running campaign still not queued 5 minutes after its send time → the campaign's
/// progress carries a Korean warning and one <c>campaign.late</c> alert goes out (not one per check). No worker runs, so
/// the started campaigns' items deterministically wait for issuance.
/// </summary>
public sealed class LateCampaignTests
{
    [Fact]
    public async Task Items_not_queued_5_minutes_after_the_send_time_show_a_warning_and_raise_one_alert()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        await using var h = await PipelineHarness.StartAsync(roles: "web", extra: [new("Alerts:WebhookUrl", receiver.Url)]);
        var services = h.BackOffice.Services;
        var late = await h.ScheduleCampaignAsync(4, sendAtUtc: DateTime.UtcNow.AddMinutes(-10));
        var recent = await h.ScheduleCampaignAsync(3, firstPhone: 11, sendAtUtc: DateTime.UtcNow.AddMinutes(-2));
        await services.GetRequiredService<CampaignLifecycle>().StepAsync(CancellationToken.None);
        Assert.Equal("SENDING", await h.StatusAsync(late));
        Assert.Equal("SENDING", await h.StatusAsync(recent));

        var check = services.GetRequiredService<LateCampaigns>();
        Assert.Equal(1, await check.CheckAsync(CancellationToken.None));
        Assert.Equal(0, await check.CheckAsync(CancellationToken.None)); // once per campaign, not every minute

        var alerts = await receiver.WaitForAsync(a => a.Any(x => x.GetProperty("kind").GetString() == LateCampaigns.AlertKind), LateCampaigns.AlertKind);
        var alert = Assert.Single(alerts, x => x.GetProperty("kind").GetString() == LateCampaigns.AlertKind);
        Assert.Equal($"campaign:{late}", alert.GetProperty("subject").GetString());
        var text = alert.GetProperty("text").GetString()!;
        Assert.Contains($"캠페인 #{late}", text, StringComparison.Ordinal);
        Assert.Contains("4건", text, StringComparison.Ordinal);
        Assert.DoesNotContain("010", text, StringComparison.Ordinal);

        using var client = await h.SignInAsync(Roles.Viewer);
        var warning = Assert.Single(await WarningsAsync(client, late));
        Assert.Equal(LateCampaigns.WarningCode, warning.GetProperty("code").GetString());
        Assert.Contains("4건", warning.GetProperty("message").GetString(), StringComparison.Ordinal);
        Assert.Empty(await WarningsAsync(client, recent)); // its send time is only 2 minutes ago

        // Once everything is queued the warning is gone, and nothing is raised again.
        await using (var c = await h.Database.OpenAsync())
        {
            await c.ExecuteAsync("UPDATE delivery_items SET status = 'QUEUED' WHERE campaign_id = @late", new { late });
        }

        Assert.Empty(await WarningsAsync(client, late));
        Assert.Equal(0, await check.CheckAsync(CancellationToken.None));
    }

    [Fact]
    public async Task A_paused_campaign_is_not_reported_late()
    {
        await using var h = await PipelineHarness.StartAsync(roles: "web");
        var services = h.BackOffice.Services;
        var id = await h.ScheduleCampaignAsync(2, sendAtUtc: DateTime.UtcNow.AddMinutes(-10));
        await services.GetRequiredService<CampaignLifecycle>().StepAsync(CancellationToken.None);
        var paused = await services.GetRequiredService<PipelineControl>().PauseAsync(id, new(null, "late-test", "127.0.0.1", null, null), CancellationToken.None);
        Assert.True(paused.Done);

        // The person who paused it knows; the late alert is about campaigns that run but cannot keep up.
        Assert.Equal(0, await services.GetRequiredService<LateCampaigns>().CheckAsync(CancellationToken.None));
        var progress = await services.GetRequiredService<PipelineProgress>().GetAsync(id, CancellationToken.None);
        Assert.Empty(progress!.Warnings);
    }

    private static async Task<List<JsonElement>> WarningsAsync(HttpClient client, long id)
    {
        var progress = await client.GetFromJsonAsync<JsonElement>($"/api/campaigns/{id}/pipeline/progress");
        return [.. progress.GetProperty("warnings").EnumerateArray()];
    }
}
