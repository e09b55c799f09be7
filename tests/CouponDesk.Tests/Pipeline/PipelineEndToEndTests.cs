using System.Net;
using System.Net.Http.Json;
using CouponDesk.Features.Pipeline;
using CouponDesk.Features.Reconciliation;
using CouponDesk.Security;
using Dapper;
using Microsoft.Extensions.DependencyInjection;

namespace CouponDesk.Tests.Pipeline;

/// <summary>
/// Issue → render → queue → result against both stand-ins, with faults injected at COUFUN and at the agent. The
/// witnesses are the COUFUN stand-in's per-TR_ID counters and the SNAP stand-in's delivery ledger.
/// </summary>
public sealed class PipelineEndToEndTests
{
    [Fact]
    public async Task A_small_campaign_completes_with_one_coupon_and_one_delivery_per_recipient()
    {
        await using var h = await PipelineHarness.StartAsync();
        var id = await h.ScheduleCampaignAsync(23);

        Assert.Equal("COMPLETED", await h.WaitForAsync(id, 60, "COMPLETED", "PARTIALLY_FAILED", "FAILED", "ERROR"));
        var w = await PipelineWitness.ReadAsync(h.Database, h.Coufun, id);
        Assert.Equal(23, w.Items);
        Assert.Equal(23, w.SentItems);
        Assert.Equal(0, w.RecipientsDeliveredTwice);
        Assert.Equal(0, w.RecipientsNeverDelivered);
        Assert.Equal(23, w.CouponsStored);
        Assert.Equal(23, w.CouponsBoughtAtCoufun);
        Assert.Equal(0, w.InDoubtOrders);
        Assert.Equal(0, w.StoredCouponsHeldByNobody);

        var progress = await h.BackOffice.Services.GetRequiredService<PipelineProgress>().GetAsync(id, CancellationToken.None);
        Assert.Equal(23, progress!.Items["SENT"]);
        Assert.NotNull(progress.FinishedAt);
    }

    [Fact]
    public async Task Server_errors_and_codes_50_99_are_retried_with_the_same_TR_ID_and_everyone_is_served_once()
    {
        // With 44 % of calls failing, the §5.2 failure rule (more than 10 % of the last 200 calls) rightly stops the campaign
        // whenever a lost answer makes the orders single-coupon (D-PIPE-30) and the calls many; seen in full runs. The rule
        // has tests of its own; here it is out of reach, so the retries decide the outcome.
        await using var h = await PipelineHarness.StartAsync(extra: [new("Pipeline:FailureWindowPercent", "100"), new("Pipeline:FailureStreakLimit", "10000")]);
        // Forced codes do not consume the TR_ID (stand-in default), 5xx answers are "answer lost" (one more call).
        await h.Coufun.SetFaultsAsync(new { endpoints = new[] { "create" }, forcedCodeRate = 0.3, forcedCode = "99", serverErrorRate = 0.2 });
        // A loose approval: with 20 % lost answers two in-doubt orders are likely, which the spending guard would rightly
        // stop at the usual estimate (SpendingAndReservationTests prove the guard); here the retries decide the outcome.
        var id = await h.ScheduleCampaignAsync(40, costEstimate: 100 * 40 * 4500L);

        var final = await h.WaitForAsync(id, 90, "COMPLETED", "PARTIALLY_FAILED", "FAILED", "ERROR");
        var w = await PipelineWitness.ReadAsync(h.Database, h.Coufun, id);
        Assert.Equal(0, w.ItemsWithoutFinalState);
        Assert.Equal(0, w.RecipientsDeliveredTwice);
        Assert.Equal(0, w.StoredCouponsHeldByNobody);
        Assert.Equal(w.CouponsStored, w.CouponsBoughtForSucceededOrders);
        // Every coupon bought at COUFUN is either held by a recipient or listed as in doubt.
        Assert.Equal(w.CouponsBoughtAtCoufun, w.CouponsBoughtForSucceededOrders + w.CouponsBoughtForInDoubtOrders);
        Assert.Equal(w.SentItems, 40 - await FailedItemsAsync(h, id));
        Assert.Contains(final, new[] { "COMPLETED", "PARTIALLY_FAILED" });
    }

    [Fact]
    public async Task A_create_whose_answer_is_dropped_becomes_an_in_doubt_order_and_its_recipients_are_still_served_once()
    {
        await using var h = await PipelineHarness.StartAsync();
        await h.Coufun.SetFaultsAsync(new { endpoints = new[] { "create" }, dropAfterCreateRate = 1.0, remaining = 1 });
        var id = await h.ScheduleCampaignAsync(15);

        Assert.Equal("COMPLETED", await h.WaitForAsync(id, 60, "COMPLETED", "PARTIALLY_FAILED", "FAILED", "ERROR"));
        var w = await PipelineWitness.ReadAsync(h.Database, h.Coufun, id);
        Assert.True(w.InDoubtOrders >= 1); // exactly 1 unless the machine is so slow that a normal call timed out too
        Assert.True(w.CouponsBoughtForInDoubtOrders > 0); // the stand-in did create them: a double purchase, surfaced
        Assert.Equal(15, w.SentItems);
        Assert.Equal(0, w.RecipientsDeliveredTwice);
        Assert.Equal(0, w.RecipientsNeverDelivered);
        Assert.Equal(15, w.CouponsStored);
        Assert.Equal(w.CouponsBoughtAtCoufun, 15 + w.CouponsBoughtForInDoubtOrders);

        using var client = await OperatorAsync(h);
        var report = await client.GetFromJsonAsync<ReconciliationReport>($"/api/campaigns/{id}/pipeline/reconciliation");
        Assert.Equal(w.InDoubtOrders, report!.InDoubtOrders.Count);
        foreach (var order in report.InDoubtOrders)
        {
            Assert.Equal("IN_DOUBT", order.Status);
            Assert.True((await h.Coufun.CountersAsync(order.TrId!)).Calls >= 1);
        }
        Assert.True(report.InDoubtValue > 0);
    }

    [Fact]
    public async Task A_code_that_needs_a_person_stops_the_campaign_with_the_reason_and_resume_finishes_it()
    {
        await using var h = await PipelineHarness.StartAsync();
        await h.Coufun.SetFaultsAsync(new { endpoints = new[] { "create" }, forcedCodeRate = 1.0, forcedCode = "95", remaining = 1 });
        var id = await h.ScheduleCampaignAsync(12);

        Assert.Equal("ERROR", await h.WaitForAsync(id, 30, "ERROR", "COMPLETED"));
        var stopped = await h.BackOffice.Services.GetRequiredService<PipelineProgress>().GetAsync(id, CancellationToken.None);
        Assert.Equal("95", stopped!.StopCode);
        Assert.Contains("95", stopped.StopReason);

        using var client = await OperatorAsync(h);
        (await client.PostAsync($"/api/campaigns/{id}/pipeline/resume", null)).EnsureSuccessStatusCode();
        Assert.Equal("COMPLETED", await h.WaitForAsync(id, 60, "COMPLETED", "PARTIALLY_FAILED", "FAILED", "ERROR"));
        var w = await PipelineWitness.ReadAsync(h.Database, h.Coufun, id);
        Assert.Equal(12, w.SentItems);
        Assert.Equal(12, w.CouponsBoughtAtCoufun);
    }

    [Fact]
    public async Task Persisting_code_99_stops_the_campaign_at_the_failure_threshold_instead_of_burning_the_list()
    {
        await using var h = await PipelineHarness.StartAsync();
        await h.Coufun.SetFaultsAsync(new { endpoints = new[] { "create" }, forcedCodeRate = 1.0, forcedCode = "99" });
        var id = await h.ScheduleCampaignAsync(150);

        Assert.Equal("ERROR", await h.WaitForAsync(id, 60, "ERROR", "FAILED", "COMPLETED"));
        var progress = await h.BackOffice.Services.GetRequiredService<PipelineProgress>().GetAsync(id, CancellationToken.None);
        Assert.Equal("FAILURE_THRESHOLD", progress!.StopCode);
        // Stopped long before every recipient was tried 3 times; nothing was bought.
        Assert.True(progress.Items.GetValueOrDefault("ISSUE_FAILED") < 150);
        var w = await PipelineWitness.ReadAsync(h.Database, h.Coufun, id);
        Assert.Equal(0, w.CouponsBoughtAtCoufun);
    }

    [Fact]
    public async Task Agent_paused_then_resumed_and_campaign_paused_then_resumed_deliver_everyone_once()
    {
        await using var h = await PipelineHarness.StartAsync();
        using var snap = h.Snap.CreateClient();
        (await snap.PostAsync("_control/pause", null)).EnsureSuccessStatusCode();
        var id = await h.ScheduleCampaignAsync(20);
        await WaitAsync(async () => await CountAsync(h, id, "QUEUED") == 20);

        // Paused campaign: the agent has taken nothing, so every ready row is withdrawn and re-queued on resume.
        using var client = await OperatorAsync(h);
        var pause = await client.PostAsync($"/api/campaigns/{id}/pipeline/pause", null);
        pause.EnsureSuccessStatusCode();
        Assert.Equal("PAUSED", await h.StatusAsync(id));
        Assert.Equal(0, await CountAsync(h, id, "QUEUED"));
        Assert.Equal(HttpStatusCode.Conflict, (await client.PostAsync($"/api/campaigns/{id}/pipeline/pause", null)).StatusCode);

        (await client.PostAsync($"/api/campaigns/{id}/pipeline/resume", null)).EnsureSuccessStatusCode();
        await WaitAsync(async () => await CountAsync(h, id, "QUEUED") == 20);
        (await snap.PostAsync("_control/resume", null)).EnsureSuccessStatusCode();

        Assert.Equal("COMPLETED", await h.WaitForAsync(id, 60, "COMPLETED", "PARTIALLY_FAILED", "FAILED", "ERROR"));
        var w = await PipelineWitness.ReadAsync(h.Database, h.Coufun, id);
        Assert.Equal(20, w.SentItems);
        Assert.Equal(0, w.RecipientsDeliveredTwice);
        Assert.Equal(20, w.CouponsBoughtAtCoufun);
    }

    [Fact]
    public async Task Cancel_before_the_agent_took_anything_withdraws_messages_and_cancels_the_coupons_at_COUFUN()
    {
        await using var h = await PipelineHarness.StartAsync();
        using var snap = h.Snap.CreateClient();
        (await snap.PostAsync("_control/pause", null)).EnsureSuccessStatusCode();
        var id = await h.ScheduleCampaignAsync(10);
        await WaitAsync(async () => await CountAsync(h, id, "QUEUED") == 10);
        using var client = await OperatorAsync(h);
        (await client.PostAsync($"/api/campaigns/{id}/pipeline/pause", null)).EnsureSuccessStatusCode();

        var cancel = await client.PostAsJsonAsync($"/api/campaigns/{id}/pipeline/cancel", new { reason = "고객사 요청" });
        cancel.EnsureSuccessStatusCode();
        Assert.Equal("CANCELLED", await h.WaitForAsync(id, 30, "CANCELLED"));
        await using var c = await h.Database.OpenAsync();
        Assert.Equal(10, await c.ExecuteScalarAsync<int>("SELECT COUNT(*) FROM coupons WHERE status = 'CANCELLED'"));
        Assert.Equal(0, await c.ExecuteScalarAsync<int>("SELECT COUNT(*) FROM UMS_MSG"));
    }

    [Fact]
    public async Task Control_refusals_are_409_and_unknown_campaigns_404()
    {
        await using var h = await PipelineHarness.StartAsync(roles: "web");
        var id = await h.ScheduleCampaignAsync(2);
        using var client = await OperatorAsync(h);
        Assert.Equal(HttpStatusCode.Conflict, (await client.PostAsync($"/api/campaigns/{id}/pipeline/pause", null)).StatusCode);
        Assert.Equal(HttpStatusCode.Conflict, (await client.PostAsync($"/api/campaigns/{id}/pipeline/resume", null)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await client.PostAsync("/api/campaigns/999999/pipeline/pause", null)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync("/api/campaigns/999999/pipeline/progress")).StatusCode);
        using var viewer = await ViewerAsync(h);
        Assert.Equal(HttpStatusCode.Forbidden, (await viewer.PostAsync($"/api/campaigns/{id}/pipeline/pause", null)).StatusCode);
        using var anonymous = h.BackOffice.CreateClient();
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.GetAsync($"/api/campaigns/{id}/pipeline/progress")).StatusCode);
        Assert.Equal("SCHEDULED", await h.StatusAsync(id));
    }

    private static async Task<int> FailedItemsAsync(PipelineHarness h, long id)
    {
        await using var c = await h.Database.OpenAsync();
        return await c.ExecuteScalarAsync<int>("SELECT COUNT(*) FROM delivery_items WHERE campaign_id = @id AND status IN ('ISSUE_FAILED','RENDER_FAILED','SEND_FAILED')", new { id });
    }

    private static async Task<int> CountAsync(PipelineHarness h, long id, string status)
    {
        await using var c = await h.Database.OpenAsync();
        return await c.ExecuteScalarAsync<int>("SELECT COUNT(*) FROM delivery_items WHERE campaign_id = @id AND status = @status", new { id, status });
    }

    private static async Task WaitAsync(Func<Task<bool>> condition)
    {
        for (var i = 0; i < 300; i++)
        {
            if (await condition())
            {
                return;
            }

            await Task.Delay(100);
        }

        throw new TimeoutException("condition not met in 30 s");
    }

    private static Task<HttpClient> OperatorAsync(PipelineHarness h) => h.SignInAsync(Roles.Operator);

    private static Task<HttpClient> ViewerAsync(PipelineHarness h) => h.SignInAsync(Roles.Viewer);
}
