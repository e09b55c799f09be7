using CouponDesk.Features.Alerts;
using CouponDesk.Hosting;
using CouponDesk.Shared.Time;
using CouponDesk.TestSupport;
using Dapper;
using Microsoft.Extensions.DependencyInjection;

namespace CouponDesk.Tests.Alerts;

/// <summary>Spec §5.9 agent delay: the oldest due <c>ready</c> row in <c>UMS_MSG</c> older than 5 minutes raises <c>agent.delay</c>.</summary>
public sealed class AgentDelayCheckTests(AgentDelayCheckTests.Factory factory) : IClassFixture<AgentDelayCheckTests.Factory>
{
    public sealed class Factory : CouponDeskFactory, IAsyncLifetime
    {
        public WebhookReceiver Receiver { get; } = WebhookReceiver.StartAsync().GetAwaiter().GetResult();

        protected override IEnumerable<KeyValuePair<string, string?>> Settings => base.Settings.Append(new("Alerts:WebhookUrl", Receiver.Url));

        public new async Task DisposeAsync()
        {
            await base.DisposeAsync();
            await Receiver.DisposeAsync();
        }
    }

    [Fact]
    public async Task Only_a_ready_row_due_more_than_5_minutes_ago_raises_agent_delay_once_per_window()
    {
        var check = factory.Services.GetRequiredService<AgentDelayCheck>();
        var kstNow = Kst.Now(TimeProvider.System);
        await InsertAsync("T1", "ready", kstNow.AddMinutes(-2));      // due, but not late yet
        await InsertAsync("T2", "ready", kstNow.AddHours(2));         // a reservation
        await InsertAsync("T3", "complete", kstNow.AddHours(-3));     // done long ago
        await InsertAsync("T4", "pre-send", kstNow.AddHours(-1));     // taken by the agent

        Assert.Null(await check.CheckAsync(CancellationToken.None));

        await InsertAsync("T5", "ready", kstNow.AddMinutes(-12));
        await InsertAsync("T6", "ready", kstNow.AddMinutes(-7));
        var late = await check.CheckAsync(CancellationToken.None);
        Assert.NotNull(late);
        Assert.InRange(late.Value.TotalMinutes, 11, 60);
        Assert.NotNull(await check.CheckAsync(CancellationToken.None)); // the next tick finds it again...

        var alerts = await factory.Receiver.WaitForAsync(a => a.Any(x => x.GetProperty("kind").GetString() == "agent.delay"), "agent.delay");
        var alert = Assert.Single(alerts, a => a.GetProperty("kind").GetString() == "agent.delay"); // ...but the webhook hears it once
        Assert.Equal("agent", alert.GetProperty("subject").GetString());
        Assert.Contains("2건", alert.GetProperty("text").GetString());
    }

    [Fact]
    public void The_check_runs_every_60_seconds_as_a_jobs_role_registration()
    {
        var registrations = factory.Services.GetServices<IJobRegistration>();
        Assert.Single(registrations.OfType<AgentDelayJob.Registration>());
    }

    private async Task InsertAsync(string key, string status, DateTime reqDateKst)
    {
        await using var c = await factory.Database.OpenAsync();
        await c.ExecuteAsync(
            "INSERT INTO UMS_MSG (CLIENT_KEY, REQ_CH, MSG_STATUS, REQ_DATE, CALLBACK_NUMBER, PHONE, MSG) VALUES (@key, 'MMS', @status, @reqDateKst, '0200000000', '01000000001', 'test')",
            new { key = key + Guid.NewGuid().ToString("N")[..8], status, reqDateKst = DateTime.SpecifyKind(reqDateKst, DateTimeKind.Unspecified) });
    }
}
