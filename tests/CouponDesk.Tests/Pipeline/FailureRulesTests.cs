using CouponDesk.Features.Pipeline;
using CouponDesk.Features.Pipeline.Failures;
using CouponDesk.Security;
using Dapper;
using Microsoft.Extensions.DependencyInjection;

namespace CouponDesk.Tests.Pipeline;

/// <summary>
/// The failure rules counted from the insert-only call log (spec §5.2, D-PIPE-7, D-PIPE-21): the streak is the failed calls
/// since the last success, the window the failed calls among the last W, and a person's resume or retry starts both
/// from zero.
/// </summary>
public sealed class FailureRulesTests
{
    [Fact]
    public async Task Streak_counts_failures_since_the_last_success_and_the_window_only_the_last_W_calls()
    {
        await using var h = await PipelineHarness.StartAsync(roles: "web", extra: [new("Pipeline:FailureWindowCalls", "10")]);
        var rules = h.BackOffice.Services.GetRequiredService<IssuanceFailureRules>();
        var campaignId = await h.ScheduleCampaignAsync(1);
        await using var c = await h.Database.OpenAsync();

        Assert.Equal(new IssuanceFailureRules.Counts(0, 0), await rules.CountAsync(c, campaignId, CancellationToken.None));
        await RecordAsync(h, campaignId, "FFSFFF");
        Assert.Equal(new IssuanceFailureRules.Counts(3, 5), await rules.CountAsync(c, campaignId, CancellationToken.None));

        // Ten successes push every failure out of a 10-call window and end the streak.
        await RecordAsync(h, campaignId, "SSSSSSSSSS");
        Assert.Equal(new IssuanceFailureRules.Counts(0, 0), await rules.CountAsync(c, campaignId, CancellationToken.None));
        await RecordAsync(h, campaignId, "FSF");
        Assert.Equal(new IssuanceFailureRules.Counts(1, 2), await rules.CountAsync(c, campaignId, CancellationToken.None));

        // Another campaign's calls never count.
        var other = await h.ScheduleCampaignAsync(1, firstPhone: 2);
        await RecordAsync(h, other, "FFFF");
        Assert.Equal(new IssuanceFailureRules.Counts(1, 2), await rules.CountAsync(c, campaignId, CancellationToken.None));
        Assert.Equal(new IssuanceFailureRules.Counts(4, 4), await rules.CountAsync(c, other, CancellationToken.None));
    }

    [Fact]
    public async Task A_reset_starts_both_rules_from_zero_and_keeps_the_log()
    {
        await using var h = await PipelineHarness.StartAsync(roles: "web");
        var rules = h.BackOffice.Services.GetRequiredService<IssuanceFailureRules>();
        var campaignId = await h.ScheduleCampaignAsync(1);
        await using var c = await h.Database.OpenAsync();
        await c.ExecuteAsync("INSERT INTO campaign_runs (campaign_id, item_count, started_at, updated_at) VALUES (@campaignId, 1, UTC_TIMESTAMP(6), UTC_TIMESTAMP(6))", new { campaignId });
        await RecordAsync(h, campaignId, "FFFFF");

        await using (var tx = await c.BeginTransactionAsync())
        {
            await IssuanceFailureRules.ResetAsync(c, tx, campaignId, CancellationToken.None);
            await tx.CommitAsync();
        }

        Assert.Equal(new IssuanceFailureRules.Counts(0, 0), await rules.CountAsync(c, campaignId, CancellationToken.None));
        await RecordAsync(h, campaignId, "F");
        Assert.Equal(new IssuanceFailureRules.Counts(1, 1), await rules.CountAsync(c, campaignId, CancellationToken.None));
        Assert.Equal(6, await c.ExecuteScalarAsync<int>("SELECT COUNT(*) FROM issuance_calls WHERE campaign_id = @campaignId", new { campaignId }));
    }

    [Fact]
    public async Task A_campaign_resumed_after_the_threshold_stop_is_not_stopped_again_by_the_calls_before_its_resume()
    {
        await using var h = await PipelineHarness.StartAsync();
        await h.Coufun.SetFaultsAsync(new { endpoints = new[] { "create" }, forcedCodeRate = 1.0, forcedCode = "99" });
        var id = await h.ScheduleCampaignAsync(150);
        Assert.Equal("ERROR", await h.WaitForAsync(id, 60, "ERROR", "FAILED", "COMPLETED"));
        var stop = await h.BackOffice.Services.GetRequiredService<PipelineProgress>().GetAsync(id, CancellationToken.None);
        Assert.Equal("FAILURE_THRESHOLD", stop!.StopCode);
        Assert.StartsWith("COUFUN 발급 호출이 연속 ", stop.StopReason); // 20, or a little more when loops commit together

        // Two more failures after the fix: on top of the 20 before the resume they would break the streak rule again.
        await h.Coufun.SetFaultsAsync(new { endpoints = new[] { "create" }, forcedCodeRate = 1.0, forcedCode = "99", remaining = 2 });
        using var client = await h.SignInAsync(Roles.Operator);
        (await client.PostAsync($"/api/campaigns/{id}/pipeline/resume", null)).EnsureSuccessStatusCode();

        var final = await h.WaitForAsync(id, 120, "COMPLETED", "PARTIALLY_FAILED", "FAILED", "ERROR");
        var progress = await h.BackOffice.Services.GetRequiredService<PipelineProgress>().GetAsync(id, CancellationToken.None);
        Assert.True(final is "COMPLETED" or "PARTIALLY_FAILED", $"{final} {progress!.StopCode} {progress.StopReason}");
        var w = await PipelineWitness.ReadAsync(h.Database, h.Coufun, id);
        Assert.Equal(w.CouponsBoughtAtCoufun, w.SentItems);
        Assert.True(w.SentItems > 0);
    }

    /// <summary>Logs calls in order: F = failed, S = succeeded (one order id per call, as the executor does).</summary>
    private static async Task RecordAsync(PipelineHarness h, long campaignId, string outcomes)
    {
        await using var c = await h.Database.OpenAsync();
        await using var tx = await c.BeginTransactionAsync();
        var orderId = 0L;
        foreach (var outcome in outcomes)
        {
            await IssuanceFailureRules.RecordAsync(c, tx, campaignId, ++orderId, failed: outcome == 'F', DateTime.UtcNow);
        }

        await tx.CommitAsync();
    }
}
