using CouponDesk.Security;
using CouponDesk.Tests.Accounts;
using CouponDesk.TestSupport;

namespace CouponDesk.Tests.Alerts;

/// <summary>Spec §2.4: a lockout alerts the ADMINs through the operations channel, with the login id masked.</summary>
public sealed class LockoutAlertTests(LockoutAlertTests.Factory factory) : IClassFixture<LockoutAlertTests.Factory>
{
    public sealed class Factory : CouponDeskFactory, IAsyncLifetime
    {
        // Started before the host reads its settings; disposed with the fixture.
        public WebhookReceiver Receiver { get; } = WebhookReceiver.StartAsync().GetAwaiter().GetResult();

        protected override IEnumerable<KeyValuePair<string, string?>> Settings => base.Settings.Append(new("Alerts:WebhookUrl", Receiver.Url));

        // Re-implements IAsyncLifetime so xunit disposes the receiver after the base fixture.
        public new async Task DisposeAsync()
        {
            await base.DisposeAsync();
            await Receiver.DisposeAsync();
        }
    }

    [Fact]
    public async Task Five_failures_send_one_account_locked_alert_without_the_login_id()
    {
        var account = await factory.CreateAccountAsync(Roles.Operator);
        var client = factory.CreateClient();
        for (var i = 1; i <= 5; i++)
        {
            await client.LoginRaw(account.LoginId, $"Wrong#Pass{i}x");
        }

        var alerts = await factory.Receiver.WaitForAsync(a => a.Any(x => x.GetProperty("kind").GetString() == "account.locked"), "account.locked");
        var alert = Assert.Single(alerts, a => a.GetProperty("kind").GetString() == "account.locked");
        Assert.Equal($"user:{account.Id}", alert.GetProperty("subject").GetString());
        Assert.Contains($"사용자 #{account.Id}", alert.GetProperty("text").GetString());
        Assert.DoesNotContain(account.LoginId, string.Join('\n', factory.Receiver.Bodies), StringComparison.OrdinalIgnoreCase);
        Assert.Contains(account.LoginId[..1] + "***", alert.GetProperty("text").GetString());
    }
}
