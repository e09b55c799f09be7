using System.Net;
using System.Net.Http.Json;
using CouponDesk.Features.Pipeline;
using CouponDesk.Tests.Pipeline.Resends;
using Dapper;
using Microsoft.Extensions.DependencyInjection;

namespace CouponDesk.Tests.Pipeline.Cancels;

/// <summary>
/// 일괄취소 as one path (issue 24): it follows what happened to the messages, not the status word. A SENDING campaign the
/// agent took nothing of is cancelled whole; one the agent took part of loses its unsent part and reports the rest; one
/// the agent took everything of is refused without pointing anywhere. The preview names the same counts.
/// </summary>
public sealed class CampaignCancelTests
{
    [Fact]
    public async Task A_sending_campaign_the_agent_took_nothing_of_is_cancelled_whole_in_one_call()
    {
        await using var h = await PipelineHarness.StartAsync(extra: AfterSendKit.FastSettings);
        using var snap = h.Snap.CreateClient();
        (await snap.PostAsync("_control/pause", null)).EnsureSuccessStatusCode(); // the send time passed, the agent has taken nothing yet
        var id = await h.ScheduleCampaignAsync(12);
        await AfterSendKit.WaitAsync(async () => await AfterSendKit.CountAsync(h, id, "QUEUED") == 12);
        Assert.Equal("SENDING", await h.StatusAsync(id));
        using var client = await AfterSendKit.OperatorAsync(h);

        var preview = await (await client.GetAsync($"/api/campaigns/{id}/pipeline/cancel/preview")).JsonAsync(HttpStatusCode.OK);
        Assert.True(preview.GetProperty("cancellable").GetBoolean());
        Assert.Equal(12, preview.GetProperty("unsent").GetInt32());
        Assert.Equal(12, preview.GetProperty("coupons").GetInt32());
        Assert.Equal(0, preview.GetProperty("takenByAgent").GetInt32());

        var answer = await (await client.PostAsJsonAsync($"/api/campaigns/{id}/pipeline/cancel", new { reason = "잘못된 캠페인" })).JsonAsync(HttpStatusCode.OK);
        Assert.True(answer.GetProperty("whole").GetBoolean());
        Assert.Equal(12, answer.GetProperty("withdrawn").GetInt32());
        Assert.Equal(12, answer.GetProperty("cancelledItems").GetInt32());
        Assert.Equal(0, answer.GetProperty("takenByAgent").GetInt32());
        Assert.Equal(12, answer.GetProperty("couponsCancelled").GetInt32() + answer.GetProperty("couponCancelsPending").GetInt32());
        (await snap.PostAsync("_control/resume", null)).EnsureSuccessStatusCode();

        Assert.Equal("CANCELLED", await h.WaitForAsync(id, 60, "CANCELLED", "COMPLETED", "PARTIALLY_FAILED", "FAILED"));
        await using var c = await h.Database.OpenAsync();
        Assert.Equal(0, await c.ExecuteScalarAsync<int>("SELECT COUNT(*) FROM UMS_MSG"));
        Assert.Equal(12, await c.ExecuteScalarAsync<int>("SELECT COUNT(*) FROM coupons k JOIN delivery_items d ON d.coupon_id = k.id WHERE d.campaign_id = @id AND k.status = 'CANCELLED'", new { id }));
        Assert.All(await AfterSendKit.LedgerAsync(h, id), i => Assert.Equal(0, i.Delivered));
        Assert.Equal("잘못된 캠페인", await c.ExecuteScalarAsync<string>("SELECT cancel_reason FROM campaigns WHERE id = @id", new { id }));
        Assert.Equal(1, await c.ExecuteScalarAsync<int>("SELECT COUNT(*) FROM audit_log WHERE action = 'campaign.cancel-running'"));
    }

    [Fact]
    public async Task A_sending_campaign_the_agent_took_part_of_loses_its_unsent_part_and_reports_the_rest()
    {
        await using var h = await PipelineHarness.StartAsync(extra: [.. AfterSendKit.FastSettings, new("Pipeline:IssueConcurrency", "1"), new("Pipeline:CouponsPerOrder", "1")]);
        using var client = await AfterSendKit.OperatorAsync(h);
        // Paused after the first deliveries with the agent stopped, then resumed: SENDING, the rest queued and ready.
        var id = await CancelUnsentTests.PausedAfterFirstDeliveryAsync(h, client, 6);
        await (await client.PostAsync($"/api/campaigns/{id}/pipeline/resume", null)).JsonAsync(HttpStatusCode.OK);
        await AfterSendKit.WaitAsync(async () => await AfterSendKit.CountAsync(h, id, "ISSUED") == 0);
        Assert.Equal("SENDING", await h.StatusAsync(id));
        var sent = (int)await AfterSendKit.CountAsync(h, id, "SENT");
        var queued = (int)await AfterSendKit.CountAsync(h, id, "QUEUED");
        Assert.True(sent >= 1 && queued >= 1, $"{sent} sent, {queued} queued");

        // The agent is stopped: what it claimed before stays with it (taken), the rest is still ready (unsent).
        var preview = await (await client.GetAsync($"/api/campaigns/{id}/pipeline/cancel/preview")).JsonAsync(HttpStatusCode.OK);
        var unsent = preview.GetProperty("unsent").GetInt32();
        Assert.True(unsent >= 1, preview.ToString());
        Assert.Equal(queued + sent, unsent + preview.GetProperty("takenByAgent").GetInt32() + preview.GetProperty("alreadyFinished").GetInt32());

        var answer = await (await client.PostAsJsonAsync($"/api/campaigns/{id}/pipeline/cancel", new { reason = "고객사 요청" })).JsonAsync(HttpStatusCode.OK);
        Assert.False(answer.GetProperty("whole").GetBoolean());
        Assert.Equal(unsent, answer.GetProperty("withdrawn").GetInt32());
        Assert.Equal(unsent, answer.GetProperty("cancelledItems").GetInt32());
        Assert.Equal(queued + sent - unsent, answer.GetProperty("takenByAgent").GetInt32() + answer.GetProperty("alreadyFinished").GetInt32());
        Assert.Contains("이미 발송 처리되어 취소하지 못했습니다", answer.GetProperty("message").GetString(), StringComparison.Ordinal);
        using (var snap = h.Snap.CreateClient())
        {
            (await snap.PostAsync("_control/resume", null)).EnsureSuccessStatusCode();
        }

        Assert.Equal("COMPLETED", await h.WaitForAsync(id, 60, "CANCELLED", "COMPLETED", "PARTIALLY_FAILED", "FAILED")); // C13b
        foreach (var item in await AfterSendKit.LedgerAsync(h, id))
        {
            Assert.Equal(item.Status == "SENT" ? 1 : 0, item.Delivered);
        }

        Assert.Equal(unsent, (int)await AfterSendKit.CountAsync(h, id, "CANCELLED"));
    }

    [Fact]
    public async Task With_every_message_taken_by_the_agent_the_cancel_is_refused_and_changes_nothing()
    {
        await using var h = await PipelineHarness.StartAsync(roles: "web");
        using (var snap = h.Snap.CreateClient())
        {
            (await snap.PostAsync("_control/pause", null)).EnsureSuccessStatusCode();
        }

        var id = await PauseRaceTests.IssuedCampaignAsync(h, 3);
        Assert.Equal(3, await h.BackOffice.Services.GetRequiredService<RenderAndQueue>().StepAsync(CancellationToken.None));
        await using var c = await h.Database.OpenAsync();
        await c.ExecuteAsync("UPDATE UMS_MSG SET MSG_STATUS = 'pre-send'"); // as the agent's claim leaves them
        using var client = await AfterSendKit.OperatorAsync(h);
        var preview = await (await client.GetAsync($"/api/campaigns/{id}/pipeline/cancel/preview")).JsonAsync(HttpStatusCode.OK);
        Assert.False(preview.GetProperty("cancellable").GetBoolean());
        Assert.Equal(3, preview.GetProperty("takenByAgent").GetInt32());

        foreach (var action in new[] { "cancel", "cancel-unsent" })
        {
            var refused = await (await client.PostAsJsonAsync($"/api/campaigns/{id}/pipeline/{action}", new { reason = "사유" })).JsonAsync(HttpStatusCode.Conflict);
            // Neither sends the operator to the other: both would refuse.
            Assert.Equal("NOTHING_UNSENT", refused.GetProperty("code").GetString());
            Assert.DoesNotContain("취소를 이용", refused.GetProperty("detail").GetString(), StringComparison.Ordinal);
        }

        Assert.Equal("SENDING", await h.StatusAsync(id));
        Assert.Equal(3, (int)await AfterSendKit.CountAsync(h, id, "QUEUED"));
        Assert.Equal(0, await c.ExecuteScalarAsync<int>("SELECT COUNT(*) FROM audit_log WHERE action LIKE 'campaign.cancel%'"));
        Assert.Null(await c.ExecuteScalarAsync<string?>("SELECT cancel_reason FROM campaigns WHERE id = @id", new { id }));
    }
}
