using System.Net;
using System.Net.Http.Json;
using CouponDesk.Features.Audit;
using CouponDesk.Security;
using CouponDesk.TestSupport;
using Dapper;
using Microsoft.Extensions.DependencyInjection;

namespace CouponDesk.Tests.Accounts;

/// <summary>Idle and absolute expiry, the concurrent-session rule and every revocation of spec §2.5.</summary>
public sealed class SessionTests(ClockedFactory factory) : IClassFixture<ClockedFactory>
{
    private async Task<(CouponDeskFactory.TestAccount Account, HttpClient Client)> SignInAsync(string role = Roles.Operator)
    {
        var account = await factory.CreateAccountAsync(role);
        return (account, factory.WithToken(await CouponDeskFactory.LoginAsync(factory.CreateClient(), account.LoginId, account.Password)));
    }

    private static async Task AssertExpiredAsync(HttpClient client, string detail = "로그인 정보가 만료되었습니다. 다시 로그인해 주세요.")
    {
        var problem = await (await client.GetAsync("/api/auth/me")).JsonAsync(HttpStatusCode.Unauthorized);
        Assert.Equal("unauthorized", problem.GetProperty("code").GetString());
        Assert.Equal(detail, problem.GetProperty("detail").GetString());
    }

    [Fact]
    public async Task A_session_idle_for_30_minutes_ends_and_activity_keeps_it_alive()
    {
        var (_, client) = await SignInAsync();
        factory.Clock.Advance(TimeSpan.FromMinutes(29));
        var me = await client.GetAsync("/api/auth/me");
        await me.JsonAsync(HttpStatusCode.OK);
        Assert.True(me.Headers.Contains("X-Session-Idle-Expires-At"));

        factory.Clock.Advance(TimeSpan.FromMinutes(29));
        await (await client.GetAsync("/api/auth/me")).JsonAsync(HttpStatusCode.OK);

        var expiredBefore = await factory.CountAuditAsync(AuditActions.SessionExpired, "IDLE_EXPIRED");
        factory.Clock.Advance(TimeSpan.FromMinutes(30));
        await AssertExpiredAsync(client);
        await AssertExpiredAsync(client);
        Assert.Equal(expiredBefore + 1, await factory.CountAuditAsync(AuditActions.SessionExpired, "IDLE_EXPIRED"));
    }

    [Fact]
    public async Task A_background_call_is_checked_but_does_not_keep_the_session_alive()
    {
        var (_, client) = await SignInAsync();
        factory.Clock.Advance(TimeSpan.FromMinutes(20));
        var background = await BackgroundAsync(client);
        await background.JsonAsync(HttpStatusCode.OK);
        // The idle deadline it reports is still 30 minutes after the login, not after this call.
        var deadline = DateTimeOffset.Parse(background.Headers.GetValues("X-Session-Idle-Expires-At").Single(), System.Globalization.CultureInfo.InvariantCulture);
        var expected = factory.Clock.GetUtcNow().AddMinutes(10);
        Assert.InRange(deadline, expected.AddSeconds(-1), expected.AddSeconds(1));

        factory.Clock.Advance(TimeSpan.FromMinutes(10));
        var expired = await (await BackgroundAsync(client)).JsonAsync(HttpStatusCode.Unauthorized);
        Assert.Equal("unauthorized", expired.GetProperty("code").GetString());
        await AssertExpiredAsync(client);
    }

    private static Task<HttpResponseMessage> BackgroundAsync(HttpClient client)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, "/api/auth/me");
        request.Headers.Add("X-Background-Request", "1");
        return client.SendAsync(request);
    }

    [Fact]
    public async Task A_session_ends_12_hours_after_login_however_active()
    {
        var (_, client) = await SignInAsync();
        for (var i = 0; i < 35; i++)
        {
            factory.Clock.Advance(TimeSpan.FromMinutes(20));
            await (await client.GetAsync("/api/auth/me")).JsonAsync(HttpStatusCode.OK);
        }

        factory.Clock.Advance(TimeSpan.FromMinutes(21));
        await AssertExpiredAsync(client);
    }

    [Fact]
    public async Task A_new_login_ends_the_older_session_and_says_why()
    {
        var account = await factory.CreateAccountAsync(Roles.Viewer);
        var first = factory.WithToken(await CouponDeskFactory.LoginAsync(factory.CreateClient(), account.LoginId, account.Password));
        var second = factory.WithToken(await CouponDeskFactory.LoginAsync(factory.CreateClient(), account.LoginId, account.Password));

        await AssertExpiredAsync(first, "다른 곳에서 로그인하여 로그아웃되었습니다.");
        await (await second.GetAsync("/api/auth/me")).JsonAsync(HttpStatusCode.OK);
    }

    [Fact]
    public async Task Logout_ends_the_session()
    {
        var (_, client) = await SignInAsync();

        Assert.Equal(HttpStatusCode.NoContent, (await client.PostAsync("/api/auth/logout", null)).StatusCode);

        await AssertExpiredAsync(client);
    }

    [Fact]
    public async Task Admin_actions_end_the_users_sessions_at_once()
    {
        var admin = await factory.CreateClientAsync(Roles.Admin);

        var (ended, endedClient) = await SignInAsync();
        await (await admin.PostAsync($"/api/users/{ended.Id}/sessions/end", null)).JsonAsync(HttpStatusCode.OK);
        await AssertExpiredAsync(endedClient);

        var (demoted, demotedClient) = await SignInAsync();
        await (await admin.PutAsJsonAsync($"/api/users/{demoted.Id}", new { role = Roles.Viewer, status = "ACTIVE" })).JsonAsync(HttpStatusCode.OK);
        await AssertExpiredAsync(demotedClient);

        var (deactivated, deactivatedClient) = await SignInAsync();
        await (await admin.PutAsJsonAsync($"/api/users/{deactivated.Id}", new { role = Roles.Operator, status = "INACTIVE" })).JsonAsync(HttpStatusCode.OK);
        await AssertExpiredAsync(deactivatedClient);

        var (reset, resetClient) = await SignInAsync();
        var answer = await (await admin.PostAsJsonAsync($"/api/users/{reset.Id}/password-reset", new { })).JsonAsync(HttpStatusCode.OK);
        await AssertExpiredAsync(resetClient);
        var temporary = answer.GetProperty("temporaryPassword").GetString()!;
        var relogin = await (await factory.CreateClient().LoginRaw(reset.LoginId, temporary)).JsonAsync(HttpStatusCode.OK);
        Assert.True(relogin.GetProperty("mustChangePassword").GetBoolean());
    }

    [Fact]
    public async Task A_lockout_ends_the_open_sessions()
    {
        var (account, client) = await SignInAsync();
        for (var i = 0; i < 5; i++)
        {
            await factory.CreateClient().LoginRaw(account.LoginId, $"Wrong#Pass{i}x");
        }

        await AssertExpiredAsync(client);
    }

    [Fact]
    public async Task The_cleanup_job_ends_and_audits_sessions_nobody_came_back_to()
    {
        var (account, _) = await SignInAsync();
        factory.Clock.Advance(TimeSpan.FromMinutes(31));

        var (expired, _) = await factory.Services.GetRequiredService<CouponDesk.Features.Auth.SessionStore>().CleanupAsync();

        Assert.True(expired >= 1);
        await using var connection = await factory.Database.OpenAsync();
        Assert.Equal("IDLE_EXPIRED", await connection.ExecuteScalarAsync<string>("SELECT end_reason FROM auth_sessions WHERE user_id = @id", new { id = account.Id }));
    }
}

public sealed class AutoUnlockTests(AutoUnlockTests.Factory factory) : IClassFixture<AutoUnlockTests.Factory>
{
    public sealed class Factory : ClockedFactory
    {
        protected override IEnumerable<KeyValuePair<string, string?>> Settings =>
            base.Settings.Append(new("Security:Login:AutoUnlockMinutes", "15"));
    }

    [Fact]
    public async Task When_configured_a_locked_account_opens_again_after_the_set_time()
    {
        var account = await factory.CreateAccountAsync(Roles.Viewer);
        for (var i = 0; i < 5; i++)
        {
            await factory.CreateClient().LoginRaw(account.LoginId, $"Wrong#Pass{i}x");
        }

        factory.Clock.Advance(TimeSpan.FromMinutes(14));
        await (await factory.CreateClient().LoginRaw(account.LoginId, account.Password)).JsonAsync(HttpStatusCode.Unauthorized);
        factory.Clock.Advance(TimeSpan.FromMinutes(2));
        await (await factory.CreateClient().LoginRaw(account.LoginId, account.Password)).JsonAsync(HttpStatusCode.OK);
    }
}
