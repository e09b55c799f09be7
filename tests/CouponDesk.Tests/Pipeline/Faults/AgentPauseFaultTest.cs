using System.Diagnostics;
using CouponDesk.Tests.Alerts;
using Xunit.Abstractions;

namespace CouponDesk.Tests.Pipeline.Faults;

/// <summary>
/// Issue 22 scenario 3: the SNAP agent (the stand-in's pause) stops picking up while the campaign's messages are due.
/// The back office runs every role, so the agent-delay job (every 60 s, threshold 1 minute here) raises
/// <c>agent.delay</c> through the real webhook channel; nothing is queued a second time while the rows wait, the
/// results arrive after the resume, and the 24-hour result timeout does not fire for the late rows. Short form: paused
/// until the alert arrives (about two minutes); long form: 10 minutes.
/// </summary>
public sealed class AgentPauseFaultTest(ITestOutputHelper output)
{
    [Fact]
    [Trait("Category", FaultSuite.Category)]
    public async Task A_paused_agent_raises_agent_delay_queues_nothing_twice_and_the_results_arrive_after_the_resume()
    {
        var recipients = FaultSuite.Recipients(300);
        var pause = FaultSuite.LongForm ? TimeSpan.FromMinutes(10) : TimeSpan.Zero;
        await using var receiver = await WebhookReceiver.StartAsync();
        await using var h = await PipelineHarness.StartAsync(roles: "web,worker,jobs", extra:
        [
            new("Alerts:WebhookUrl", receiver.Url),
            new("Alerts:AgentDelayMinutes", "1"),
        ]);
        using var snap = h.Snap.CreateClient();
        (await snap.PostAsync("_control/pause", null)).EnsureSuccessStatusCode();
        var clock = Stopwatch.StartNew();
        var id = await h.ScheduleCampaignAsync(recipients);

        await FaultSuite.WaitUntilAsync(async () => await FaultSuite.CountAsync(h, "SELECT COUNT(*) FROM messages WHERE campaign_id = @id", id) == recipients,
            FaultSuite.CampaignSeconds(recipients), "every message queued while the agent is paused");
        var paused = Stopwatch.StartNew();
        await FaultSuite.WaitUntilAsync(() => Task.FromResult(FaultSuite.AlertsOf(receiver, "agent.delay").Count > 0), 600, "the agent.delay alert");
        if (paused.Elapsed < pause)
        {
            await Task.Delay(pause - paused.Elapsed);
        }

        // Still paused: every row waits as ready, none was queued twice, none was given up.
        Assert.Equal(recipients, await FaultSuite.CountAsync(h, "SELECT COUNT(*) FROM messages WHERE campaign_id = @id", id));
        Assert.Equal(recipients, await FaultSuite.CountAsync(h, "SELECT COUNT(*) FROM UMS_MSG WHERE MSG_STATUS = 'ready'", id));
        Assert.Equal("SENDING", await h.StatusAsync(id));

        (await snap.PostAsync("_control/resume", null)).EnsureSuccessStatusCode();
        var final = await h.WaitForAsync(id, FaultSuite.CampaignSeconds(recipients), "COMPLETED", "PARTIALLY_FAILED", "FAILED", "ERROR", "CANCELLED");
        var w = await PipelineWitness.ReadAsync(h.Database, h.Coufun, id);
        var alerts = FaultSuite.AlertsOf(receiver, "agent.delay");
        FaultSuite.Record(output, "3. SNAP agent paused", recipients, w, clock.Elapsed, $"agent.delay × {alerts.Count}");

        Assert.Equal("COMPLETED", final);
        w.AssertCommon(recipients);
        Assert.Equal(0, await FaultSuite.CountAsync(h, "SELECT COUNT(*) FROM messages WHERE campaign_id = @id AND outcome = 'TIMEOUT'", id));
        // The alert is throttled per 10-minute window: once in the short form, at most twice over the long pause.
        Assert.InRange(alerts.Count, 1, FaultSuite.LongForm ? 2 : 1);
        Assert.Contains("SNAP Agent 지연", alerts[0].GetProperty("text").GetString());
    }
}
