using CouponDesk.Features.Pipeline;
using CouponDesk.Features.Pipeline.Failures;
using CouponDesk.Tests.Alerts;
using Dapper;
using Microsoft.Extensions.DependencyInjection;

namespace CouponDesk.Tests.Pipeline;

/// <summary>Spec §5.9: the pipeline tells the operations channel about campaign ERROR, issuance failures and in-doubt orders.</summary>
public sealed class PipelineAlertsTests
{
    [Fact]
    public async Task A_campaign_that_goes_to_ERROR_raises_campaign_error_with_its_Korean_reason()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        await using var h = await PipelineHarness.StartAsync(extra: [new("Alerts:WebhookUrl", receiver.Url)]);
        await h.Coufun.SetFaultsAsync(new { endpoints = new[] { "create" }, forcedCodeRate = 1.0, forcedCode = "95", remaining = 1 });
        var id = await h.ScheduleCampaignAsync(5);

        Assert.Equal("ERROR", await h.WaitForAsync(id, 30, "ERROR", "COMPLETED"));
        var alert = (await receiver.WaitForAsync(a => a.Any(x => x.GetProperty("kind").GetString() == "campaign.error"), "campaign.error"))
            .Single(x => x.GetProperty("kind").GetString() == "campaign.error");
        Assert.Equal($"campaign:{id}", alert.GetProperty("subject").GetString());
        Assert.Equal("critical", alert.GetProperty("severity").GetString());
        var text = alert.GetProperty("text").GetString()!;
        Assert.Contains($"캠페인 #{id}", text);
        Assert.Contains("COUFUN 오류 95", text);
    }

    [Fact]
    public async Task An_order_whose_answer_is_lost_raises_issuance_in_doubt_with_its_TR_ID()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        await using var h = await PipelineHarness.StartAsync(extra: [new("Alerts:WebhookUrl", receiver.Url)]);
        await h.Coufun.SetFaultsAsync(new { endpoints = new[] { "create" }, dropAfterCreateRate = 1.0, remaining = 1 });
        var id = await h.ScheduleCampaignAsync(6);

        Assert.Equal("COMPLETED", await h.WaitForAsync(id, 60, "COMPLETED", "PARTIALLY_FAILED", "FAILED", "ERROR"));
        await using var c = await h.Database.OpenAsync();
        var trIds = (await c.QueryAsync<string>("SELECT tr_id FROM issuance_orders WHERE campaign_id = @id AND status = 'IN_DOUBT'", new { id })).ToList();
        Assert.NotEmpty(trIds);
        var alerts = await receiver.WaitForAsync(a => a.Count(x => x.GetProperty("kind").GetString() == "issuance.in_doubt") >= trIds.Count, "issuance.in_doubt");
        foreach (var trId in trIds)
        {
            Assert.Single(alerts, a => a.GetProperty("kind").GetString() == "issuance.in_doubt" && a.GetProperty("text").GetString()!.Contains(trId, StringComparison.Ordinal));
        }

        // Each lost answer is one failed call for the threshold; the same-TR_ID call answered 12 adds none (D-PIPE-7).
        var lostCalls = await c.ExecuteScalarAsync<int>("SELECT COUNT(*) FROM issuance_orders WHERE campaign_id = @id AND answer_lost = 1", new { id });
        Assert.Equal(lostCalls, await c.ExecuteScalarAsync<int>("SELECT COUNT(*) FROM issuance_calls WHERE campaign_id = @id AND failed = 1", new { id }));
    }

    [Fact]
    public async Task A_rejected_order_raises_one_issuance_failed_alert_with_the_count()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        await using var h = await PipelineHarness.StartAsync(extra: [new("Alerts:WebhookUrl", receiver.Url)]);
        // 08: our request was wrong (a bug) — the order fails at once, its items ISSUE_FAILED.
        await h.Coufun.SetFaultsAsync(new { endpoints = new[] { "create" }, forcedCodeRate = 1.0, forcedCode = "08", remaining = 1 });
        var id = await h.ScheduleCampaignAsync(7);

        Assert.Equal("FAILED", await h.WaitForAsync(id, 60, "COMPLETED", "PARTIALLY_FAILED", "FAILED", "ERROR"));
        var alerts = await receiver.WaitForAsync(a => a.Any(x => x.GetProperty("kind").GetString() == "issuance.failed"), "issuance.failed");
        var alert = Assert.Single(alerts, a => a.GetProperty("kind").GetString() == "issuance.failed");
        Assert.Contains($"캠페인 #{id}: 쿠폰 7건", alert.GetProperty("text").GetString());
        Assert.StartsWith("order:", alert.GetProperty("subject").GetString());
    }
}

/// <summary>
/// Spec §5.2: "more than 10 % of the last 200 calls → campaign ERROR" (D-PIPE-7), on top of the 20-in-a-row rule, against
/// the COUFUN stand-in's fault API. One coupon per call, so every recipient is at least one call.
/// </summary>
public sealed class FailureWindowTests
{
    [Fact]
    public async Task A_15_percent_failure_mix_stops_the_campaign_in_ERROR_with_the_Korean_reason()
    {
        await using var h = await PipelineHarness.StartAsync(extra: [new("Pipeline:CouponsPerOrder", "1")]);
        await h.Coufun.SetFaultsAsync(new { endpoints = new[] { "create" }, forcedCodeRate = 0.15, forcedCode = "99" });
        var id = await h.ScheduleCampaignAsync(400);

        Assert.Equal("ERROR", await h.WaitForAsync(id, 180, "ERROR", "COMPLETED", "PARTIALLY_FAILED", "FAILED"));
        var progress = await h.BackOffice.Services.GetRequiredService<PipelineProgress>().GetAsync(id, CancellationToken.None);
        Assert.Equal("FAILURE_THRESHOLD", progress!.StopCode);
        Assert.StartsWith("최근 COUFUN 발급 호출 200회 중", progress.StopReason);
        Assert.Contains("허용 10%", progress.StopReason);
        await using var c = await h.Database.OpenAsync();
        // Orders already in flight when it stopped may add a few calls after the stop; the stop itself saw more than 20.
        Assert.True(await c.ExecuteScalarAsync<int>("SELECT COUNT(*) FROM issuance_calls WHERE campaign_id = @id AND failed = 1", new { id }) > 20);
    }

    [Fact]
    public async Task A_5_percent_failure_mix_over_more_than_200_calls_finishes()
    {
        await using var h = await PipelineHarness.StartAsync(extra: [new("Pipeline:CouponsPerOrder", "1")]);
        await h.Coufun.SetFaultsAsync(new { endpoints = new[] { "create" }, forcedCodeRate = 0.05, forcedCode = "99" });
        var id = await h.ScheduleCampaignAsync(250);

        var final = await h.WaitForAsync(id, 240, "ERROR", "COMPLETED", "PARTIALLY_FAILED", "FAILED");
        var progress = await h.BackOffice.Services.GetRequiredService<PipelineProgress>().GetAsync(id, CancellationToken.None);
        Assert.True(final is "COMPLETED" or "PARTIALLY_FAILED", $"{final} {progress!.StopCode} {progress.StopReason}");
        await using var c = await h.Database.OpenAsync();
        Assert.True(await c.ExecuteScalarAsync<int>("SELECT SUM(calls) FROM issuance_orders WHERE campaign_id = @id", new { id }) > 200);
        var counts = await h.BackOffice.Services.GetRequiredService<IssuanceFailureRules>().CountAsync(c, id, CancellationToken.None);
        Assert.InRange(counts.WindowFailed, 1, 20); // failures were recorded, just not enough of them
    }
}
