using System.Net;

namespace CouponDesk.Tests.Pipeline.Resends;

/// <summary>실패 건 재시도 (C15, spec D9, D11): <c>POST /api/campaigns/{id}/pipeline/retry-failed</c>.</summary>
public sealed class RetryFailedTests
{
    private static readonly string[] Finished = ["COMPLETED", "PARTIALLY_FAILED", "FAILED", "ERROR"];

    [Fact]
    public async Task Resend_recommended_failures_are_resent_as_BULK_RETRY_up_to_3_times_then_there_is_nothing_to_retry()
    {
        await using var h = await PipelineHarness.StartAsync(extra: [.. AfterSendKit.FastSettings, new("Resends:MaxAutomatic", "0")]);
        var id = await h.ScheduleCampaignAsync(2, firstPhone: 9920001); // always 31112 (resend recommended)
        Assert.Equal("FAILED", await h.WaitForAsync(id, 90, Finished));
        using var client = await AfterSendKit.OperatorAsync(h);

        for (var round = 1; round <= 3; round++)
        {
            var answer = await (await client.PostAsync($"/api/campaigns/{id}/pipeline/retry-failed", null)).JsonAsync(HttpStatusCode.OK);
            Assert.Equal(2, answer.GetProperty("retried").GetInt32());
            Assert.Equal("FAILED", await h.WaitForAsync(id, 90, Finished));
        }

        var refused = await (await client.PostAsync($"/api/campaigns/{id}/pipeline/retry-failed", null)).JsonAsync(HttpStatusCode.Conflict);
        Assert.Equal("NOTHING_TO_RETRY", refused.GetProperty("code").GetString());
        foreach (var item in await AfterSendKit.LedgerAsync(h, id))
        {
            Assert.Equal("INITIAL,BULK_RETRY,BULK_RETRY,BULK_RETRY", item.Types);
            Assert.Equal(4, item.Delivered);
        }

        Assert.Equal(6L, await AfterSendKit.ScalarAsync<long>(h, "SELECT SUM(resend_count) FROM delivery_items WHERE campaign_id = @id", new { id }));
        Assert.Equal(3L, await AfterSendKit.ScalarAsync<long>(h,
            "SELECT COUNT(*) FROM audit_log WHERE action = 'campaign.retry-failed' AND target_id = @target", new { target = id.ToString(System.Globalization.CultureInfo.InvariantCulture) }));
    }

    [Fact]
    public async Task Issue_failures_go_back_to_issuance_and_the_campaign_completes()
    {
        await using var h = await PipelineHarness.StartAsync(extra: AfterSendKit.FastSettings);
        // 08: our request was wrong — the order fails and its items are ISSUE_FAILED; nothing is bought.
        await h.Coufun.SetFaultsAsync(new { endpoints = new[] { "create" }, forcedCodeRate = 1.0, forcedCode = "08" });
        var id = await h.ScheduleCampaignAsync(3);
        Assert.Equal("FAILED", await h.WaitForAsync(id, 60, Finished));
        Assert.Equal(3L, await AfterSendKit.CountAsync(h, id, "ISSUE_FAILED"));

        await h.Coufun.ClearFaultsAsync();
        using var client = await AfterSendKit.OperatorAsync(h);
        var answer = await (await client.PostAsync($"/api/campaigns/{id}/pipeline/retry-failed", null)).JsonAsync(HttpStatusCode.OK);
        Assert.Equal(3, answer.GetProperty("retried").GetInt32());
        Assert.Equal("COMPLETED", await h.WaitForAsync(id, 60, "COMPLETED", "PARTIALLY_FAILED", "FAILED", "ERROR"));
        var w = await PipelineWitness.ReadAsync(h.Database, h.Coufun, id);
        Assert.Equal(3, w.SentItems);
        Assert.Equal(3, w.CouponsBoughtAtCoufun);
        Assert.Equal(0, w.RecipientsDeliveredTwice);
    }

    [Fact]
    public async Task Refusals_change_nothing_and_viewers_are_forbidden()
    {
        await using var h = await PipelineHarness.StartAsync(roles: "web");
        var id = await h.ScheduleCampaignAsync(2);
        using var client = await AfterSendKit.OperatorAsync(h);
        var wrongState = await (await client.PostAsync($"/api/campaigns/{id}/pipeline/retry-failed", null)).JsonAsync(HttpStatusCode.Conflict);
        Assert.Equal("CAMPAIGN_NOT_FINISHED", wrongState.GetProperty("code").GetString());
        Assert.False(string.IsNullOrEmpty(wrongState.GetProperty("detail").GetString()));
        Assert.Equal(HttpStatusCode.NotFound, (await client.PostAsync("/api/campaigns/999999/pipeline/retry-failed", null)).StatusCode);

        // A COMPLETED campaign without failures: nothing to retry, and it stays COMPLETED.
        await using (var c = await h.Database.OpenAsync())
        {
            await Dapper.SqlMapper.ExecuteAsync(c, "UPDATE campaigns SET status = 'COMPLETED' WHERE id = @id", new { id });
        }

        var nothing = await (await client.PostAsync($"/api/campaigns/{id}/pipeline/retry-failed", null)).JsonAsync(HttpStatusCode.Conflict);
        Assert.Equal("NOTHING_TO_RETRY", nothing.GetProperty("code").GetString());
        using var viewer = await AfterSendKit.ViewerAsync(h);
        Assert.Equal(HttpStatusCode.Forbidden, (await viewer.PostAsync($"/api/campaigns/{id}/pipeline/retry-failed", null)).StatusCode);
        Assert.Equal("COMPLETED", await h.StatusAsync(id));
        Assert.Equal(0L, await AfterSendKit.ScalarAsync<long>(h, "SELECT COUNT(*) FROM audit_log WHERE action = 'campaign.retry-failed'"));
    }
}
