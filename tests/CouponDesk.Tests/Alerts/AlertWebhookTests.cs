using System.Text.RegularExpressions;
using CouponDesk.Features.Alerts;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Time.Testing;

namespace CouponDesk.Tests.Alerts;

/// <summary>The operations-alert channel against a real webhook receiver on a loopback socket.</summary>
public sealed partial class AlertWebhookTests
{
    [Fact]
    public async Task An_alert_arrives_as_Slack_compatible_JSON_with_kind_severity_and_subject()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        using var host = await StartAsync(receiver.Url);

        await Alerts(host).RaiseAsync(new OperationsAlert("campaign.error", "캠페인 #7이(가) 오류로 중지되었습니다.", AlertSeverity.Critical, "campaign:7"));

        var alert = Assert.Single(await receiver.WaitForAsync(a => a.Count >= 1, "one alert"));
        Assert.Equal("campaign.error", alert.GetProperty("kind").GetString());
        Assert.Equal("critical", alert.GetProperty("severity").GetString());
        Assert.Equal("campaign:7", alert.GetProperty("subject").GetString());
        Assert.Equal("[CouponDesk 긴급] campaign.error (campaign:7): 캠페인 #7이(가) 오류로 중지되었습니다.", alert.GetProperty("text").GetString());
    }

    [Fact]
    public async Task Repeats_of_the_same_kind_and_subject_are_throttled_and_counted_in_the_next_one()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        using var host = await StartAsync(receiver.Url, clock, ("Alerts:ThrottleSeconds", "600"));
        var alerts = Alerts(host);

        for (var i = 0; i < 5; i++)
        {
            await alerts.RaiseAsync(new OperationsAlert("agent.delay", "지연", AlertSeverity.Warning, "agent"));
        }

        await alerts.RaiseAsync(new OperationsAlert("agent.delay", "지연", AlertSeverity.Warning, "agent-2"));
        await alerts.RaiseAsync(new OperationsAlert("campaign.error", "오류", AlertSeverity.Warning, "agent"));
        // One sender, in order: once the last has arrived, any repeat sent before it would have arrived too.
        var sent = await receiver.WaitForAsync(a => a.Any(x => x.GetProperty("kind").GetString() == "campaign.error"), "the last alert");
        Assert.Equal(3, sent.Count);
        Assert.Single(sent, a => a.GetProperty("subject").GetString() == "agent" && a.GetProperty("kind").GetString() == "agent.delay");

        clock.Advance(TimeSpan.FromSeconds(601));
        await alerts.RaiseAsync(new OperationsAlert("agent.delay", "지연", AlertSeverity.Warning, "agent"));
        sent = await receiver.WaitForAsync(a => a.Count == 4, "the repeat after the window");
        Assert.EndsWith("같은 알림 4건 생략", sent[3].GetProperty("text").GetString());
    }

    [Fact]
    public async Task A_failed_post_is_retried()
    {
        await using var receiver = await WebhookReceiver.StartAsync(failFirst: 1);
        using var host = await StartAsync(receiver.Url);

        await Alerts(host).RaiseAsync(new OperationsAlert("issuance.failed", "발급 실패 3건", AlertSeverity.Warning, "order:1"));

        var bodies = await receiver.WaitForAsync(a => a.Count >= 2, "the retry");
        Assert.Equal(receiver.Bodies[0], receiver.Bodies[1]);
    }

    [Fact]
    public async Task A_dead_webhook_neither_blocks_nor_throws()
    {
        // Nothing listens on the discard port: every POST is refused.
        using var host = await StartAsync("http://127.0.0.1:9/hook", settings: [("Alerts:RetryDelayMs", "0")]);
        var alerts = Alerts(host);

        for (var i = 0; i < 50; i++)
        {
            var raise = alerts.RaiseAsync(new OperationsAlert("agent.delay", "지연", AlertSeverity.Warning, $"s{i}"));
            Assert.True(raise.IsCompletedSuccessfully); // returned without waiting for the network
        }

        await host.StopAsync();
    }

    [Fact]
    public async Task A_hung_webhook_times_out_is_retried_and_a_full_queue_only_logs()
    {
        await using var receiver = await WebhookReceiver.StartAsync(stall: true);
        using var host = await StartAsync(receiver.Url, settings: [("Alerts:TimeoutSeconds", "1"), ("Alerts:Attempts", "2"), ("Alerts:RetryDelayMs", "0"), ("Alerts:QueueCapacity", "2")]);
        var alerts = Alerts(host);

        for (var i = 0; i < 20; i++)
        {
            var raise = alerts.RaiseAsync(new OperationsAlert("campaign.error", "오류", AlertSeverity.Critical, $"campaign:{i}"));
            Assert.True(raise.IsCompletedSuccessfully);
        }

        // Some alert was posted, timed out (the receiver never answers) and was posted again.
        await receiver.WaitForAsync(_ => receiver.Bodies.GroupBy(b => b).Any(g => g.Count() >= 2), "a timed-out alert posted again");

        // The sender gives up on each after its attempts and moves on: a later alert still goes out.
        for (var i = 0; i < 150 && !receiver.Bodies.Any(b => b.Contains("campaign:final", StringComparison.Ordinal)); i++)
        {
            Assert.True(alerts.RaiseAsync(new OperationsAlert("campaign.error", "오류", AlertSeverity.Critical, "campaign:final")).IsCompletedSuccessfully);
            await Task.Delay(200);
        }

        Assert.Contains(receiver.Bodies, b => b.Contains("campaign:final", StringComparison.Ordinal));
        await host.StopAsync();
    }

    [Fact]
    public async Task Nothing_that_looks_like_a_phone_or_coupon_number_leaves_in_the_webhook()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        using var host = await StartAsync(receiver.Url);

        // A careless caller: the sink masks on the way out as the last line of defence.
        await Alerts(host).RaiseAsync(new OperationsAlert("cs.test", "수신자 010-0000-1234, 쿠폰 1234 5678 9012 3456 재발송 실패", AlertSeverity.Warning, "phone:01000001234"));

        var alert = Assert.Single(await receiver.WaitForAsync(a => a.Count >= 1, "one alert"));
        var raw = receiver.Bodies[0];
        Assert.DoesNotMatch(PhoneLike(), raw);
        Assert.DoesNotMatch(LongDigits(), raw);
        Assert.Contains("010-****-1234", alert.GetProperty("text").GetString());
    }

    [Theory]
    [InlineData("Production", "http://hooks.example.test/x", false)]
    [InlineData("Production", "https://hooks.example.test/x", true)]
    [InlineData("Staging", "http://hooks.example.test/x", false)]
    [InlineData("Development", "http://127.0.0.1:5000/x", true)]
    [InlineData("Production", "ftp://hooks.example.test/x", false)]
    [InlineData("Production", "not a url", false)]
    [InlineData("Production", "", true)]
    public void The_webhook_needs_https_outside_development(string environment, string url, bool valid)
    {
        var validator = new AlertsOptionsValidator(new Env(environment));
        var result = validator.Validate(null, new AlertsOptions { WebhookUrl = url });
        Assert.Equal(valid, result.Succeeded);
        if (!valid)
        {
            Assert.StartsWith("Alerts:WebhookUrl", result.FailureMessage);
            Assert.DoesNotContain("example", result.FailureMessage); // the URL (a secret) is not echoed
        }
    }

    private static IOperationsAlerts Alerts(IHost host) => host.Services.GetRequiredService<IOperationsAlerts>();

    private static async Task<IHost> StartAsync(string url, TimeProvider? clock = null, params (string Key, string Value)[] settings)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { EnvironmentName = "Testing" });
        builder.Configuration.AddInMemoryCollection([new("Alerts:WebhookUrl", url), .. settings.Select(s => new KeyValuePair<string, string?>(s.Key, s.Value))]);
        builder.Services.AddSingleton(clock ?? TimeProvider.System);
        builder.Services.AddOperationsAlerts(builder.Configuration);
        var host = builder.Build();
        await host.StartAsync();
        return host;
    }

    private sealed class Env(string name) : IHostEnvironment
    {
        public string EnvironmentName { get; set; } = name;

        public string ApplicationName { get; set; } = "test";

        public string ContentRootPath { get; set; } = "/";

        public Microsoft.Extensions.FileProviders.IFileProvider ContentRootFileProvider { get; set; } = null!;
    }

    [GeneratedRegex(@"01[016789][- ]?[0-9]{3,4}[- ]?[0-9]{4}")]
    private static partial Regex PhoneLike();

    [GeneratedRegex(@"[0-9](?:[- ]?[0-9]){9,}")]
    private static partial Regex LongDigits();
}
