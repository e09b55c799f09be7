using System.Net;
using System.Net.Http.Json;
using CouponDesk.Features.Auth;
using CouponDesk.Features.Users;
using CouponDesk.Security;
using CouponDesk.Tests.Accounts;
using CouponDesk.TestSupport;
using Dapper;

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

        // The receiver is shared by the class: this account's alert, exactly one of it.
        var subject = $"user:{account.Id}";
        var alerts = await factory.Receiver.WaitForAsync(a => a.Any(x => x.GetProperty("subject").GetString() == subject), "account.locked");
        var alert = Assert.Single(alerts, a => a.GetProperty("kind").GetString() == "account.locked" && a.GetProperty("subject").GetString() == subject);
        Assert.Equal($"user:{account.Id}", alert.GetProperty("subject").GetString());
        Assert.Contains($"사용자 #{account.Id}", alert.GetProperty("text").GetString());
        Assert.DoesNotContain(account.LoginId, string.Join('\n', factory.Receiver.Bodies), StringComparison.OrdinalIgnoreCase);
        Assert.Contains(account.LoginId[..1] + "***", alert.GetProperty("text").GetString());
    }

    // Issue 14: a session holder guessing the current password on 비밀번호 변경 counts toward the same lockout (§2.4).
    [Fact]
    public async Task Wrong_current_passwords_on_the_password_change_count_toward_the_lockout_and_are_audited()
    {
        var account = await factory.CreateAccountAsync(Roles.Operator);
        using var client = factory.WithToken(await CouponDeskFactory.LoginAsync(factory.CreateClient(), account.LoginId, account.Password));
        object Guess(int i) => new { currentPassword = $"Wrong#Guess{i}x", newPassword = "Quiet-River-2047", newPasswordConfirm = "Quiet-River-2047" };
        for (var i = 1; i <= 4; i++)
        {
            var refused = await (await client.PostAsJsonAsync("/api/auth/password", Guess(i))).JsonAsync(HttpStatusCode.BadRequest);
            Assert.Equal("현재 비밀번호가 일치하지 않습니다.", refused.GetProperty("errors").GetProperty("currentPassword")[0].GetString());
            Assert.Equal(i, await factory.UserFieldAsync<int>(account.Id, "failed_login_count"));
        }

        Assert.Equal(AccountStatus.Active, await factory.UserFieldAsync<string>(account.Id, "status"));
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/api/auth/me")).StatusCode);

        // The fifth locks the account and ends the session that guessed.
        var locked = await (await client.PostAsJsonAsync("/api/auth/password", Guess(5))).JsonAsync(HttpStatusCode.Unauthorized);
        Assert.Equal(LoginService.AccountLocked, locked.GetProperty("code").GetString());
        Assert.Equal(LoginService.LockedMessage, locked.GetProperty("detail").GetString());
        Assert.Equal(AccountStatus.Locked, await factory.UserFieldAsync<string>(account.Id, "status"));
        Assert.Equal(HttpStatusCode.Unauthorized, (await client.GetAsync("/api/auth/me")).StatusCode);
        var login = await (await factory.CreateClient().LoginRaw(account.LoginId, account.Password)).JsonAsync(HttpStatusCode.Unauthorized);
        Assert.Equal(LoginService.AccountLocked, login.GetProperty("code").GetString());

        await using var c = await factory.Database.OpenAsync();
        var target = account.Id.ToString(System.Globalization.CultureInfo.InvariantCulture);
        Assert.Equal(5, await c.ExecuteScalarAsync<int>(
            "SELECT COUNT(*) FROM audit_log WHERE action = 'auth.password_changed' AND outcome = 'FAILURE' AND reason = 'wrong_current_password' AND target_id = @target", new { target }));
        Assert.Equal(1, await c.ExecuteScalarAsync<int>("SELECT COUNT(*) FROM audit_log WHERE action = 'user.locked' AND target_id = @target", new { target }));
        await factory.Receiver.WaitForAsync(a => a.Any(x => x.GetProperty("subject").GetString() == $"user:{account.Id}"), "account.locked for the password change");
    }
}
