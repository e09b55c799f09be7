using System.Net;
using System.Net.Http.Json;
using System.Text;
using CouponDesk.Features.Audit;
using CouponDesk.Features.Users;
using CouponDesk.Security;
using CouponDesk.TestSupport;
using Dapper;

namespace CouponDesk.Tests.Accounts;

public sealed class LoginTests(ClockedFactory factory) : IClassFixture<ClockedFactory>
{
    [Fact]
    public async Task A_correct_login_gives_a_token_that_opens_the_own_profile()
    {
        var account = await factory.CreateAccountAsync(Roles.Viewer);
        var client = factory.CreateClient();

        var login = await (await client.LoginRaw(account.LoginId, account.Password)).JsonAsync(HttpStatusCode.OK);
        var me = await (await factory.WithToken(login.GetProperty("accessToken").GetString()!).GetAsync("/api/auth/me")).JsonAsync(HttpStatusCode.OK);

        Assert.Equal(account.LoginId, me.GetProperty("loginId").GetString());
        Assert.Equal(Roles.Viewer, me.GetProperty("role").GetString());
        Assert.Equal(1800, login.GetProperty("idleTimeoutSeconds").GetInt32());
        Assert.True(await factory.UserFieldAsync<DateTime?>(account.Id, "last_login_at") is not null);
    }

    [Fact]
    public async Task Unknown_id_and_wrong_password_get_the_same_answer()
    {
        var account = await factory.CreateAccountAsync(Roles.Operator);
        var client = factory.CreateClient();

        var unknown = await (await client.LoginRaw("nobody0001", "Whatever#2026x")).JsonAsync(HttpStatusCode.Unauthorized);
        var wrong = await (await client.LoginRaw(account.LoginId, "Whatever#2026x")).JsonAsync(HttpStatusCode.Unauthorized);

        foreach (var field in new[] { "code", "title", "detail", "type", "status" })
        {
            Assert.Equal(unknown.GetProperty(field).ToString(), wrong.GetProperty(field).ToString());
        }

        Assert.Equal("invalid_credentials", wrong.GetProperty("code").GetString());
        Assert.Equal("아이디 또는 비밀번호가 올바르지 않습니다.", wrong.GetProperty("detail").GetString());
        Assert.Equal(1, await factory.UserFieldAsync<int>(account.Id, "failed_login_count"));
    }

    [Fact]
    public async Task Five_consecutive_failures_lock_the_account_until_an_admin_unlocks_it()
    {
        var account = await factory.CreateAccountAsync(Roles.Operator);
        var client = factory.CreateClient();
        for (var i = 1; i <= 4; i++)
        {
            Assert.Equal("invalid_credentials", (await (await client.LoginRaw(account.LoginId, $"Wrong#Pass{i}x")).JsonAsync(HttpStatusCode.Unauthorized)).GetProperty("code").GetString());
        }

        var fifth = await (await client.LoginRaw(account.LoginId, "Wrong#Pass5x")).JsonAsync(HttpStatusCode.Unauthorized);
        Assert.Equal("account_locked", fifth.GetProperty("code").GetString());
        Assert.Equal("비밀번호를 5회 잘못 입력하여 계정이 잠겼습니다. 관리자에게 문의하세요.", fifth.GetProperty("detail").GetString());
        Assert.Equal(AccountStatus.Locked, await factory.UserFieldAsync<string>(account.Id, "status"));

        // Even the right password does not open a locked account, and does not move the counter.
        var locked = await (await client.LoginRaw(account.LoginId, account.Password)).JsonAsync(HttpStatusCode.Unauthorized);
        Assert.Equal("account_locked", locked.GetProperty("code").GetString());
        Assert.Equal(5, await factory.UserFieldAsync<int>(account.Id, "failed_login_count"));

        var admin = await factory.CreateClientAsync(Roles.Admin);
        await (await admin.PostAsync($"/api/users/{account.Id}/unlock", null)).JsonAsync(HttpStatusCode.OK);

        await (await client.LoginRaw(account.LoginId, account.Password)).JsonAsync(HttpStatusCode.OK);
        Assert.Equal(0, await factory.UserFieldAsync<int>(account.Id, "failed_login_count"));
        await using var connection = await factory.Database.OpenAsync();
        Assert.Equal(1, await connection.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM audit_log WHERE action = @a AND target_id = @id", new { a = AuditActions.UserLocked, id = account.Id.ToString() }));
        Assert.Equal(1, await connection.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM audit_log WHERE action = @a AND target_id = @id", new { a = AuditActions.UserUnlocked, id = account.Id.ToString() }));
    }

    [Fact]
    public async Task A_success_resets_the_failure_counter()
    {
        var account = await factory.CreateAccountAsync(Roles.Viewer);
        var client = factory.CreateClient();
        await client.LoginRaw(account.LoginId, "Wrong#Pass1x");
        await client.LoginRaw(account.LoginId, "Wrong#Pass2x");

        await (await client.LoginRaw(account.LoginId, account.Password)).JsonAsync(HttpStatusCode.OK);

        Assert.Equal(0, await factory.UserFieldAsync<int>(account.Id, "failed_login_count"));
    }

    [Fact]
    public async Task An_inactive_account_is_told_only_to_whoever_knows_its_password()
    {
        var account = await factory.CreateAccountAsync(Roles.Viewer);
        await using (var connection = await factory.Database.OpenAsync())
        {
            await connection.ExecuteAsync("UPDATE users SET status = 'INACTIVE' WHERE id = @id", new { id = account.Id });
        }

        var client = factory.CreateClient();
        Assert.Equal("account_inactive", (await (await client.LoginRaw(account.LoginId, account.Password)).JsonAsync(HttpStatusCode.Unauthorized)).GetProperty("code").GetString());
        Assert.Equal("invalid_credentials", (await (await client.LoginRaw(account.LoginId, "Wrong#Pass1x")).JsonAsync(HttpStatusCode.Unauthorized)).GetProperty("code").GetString());
        Assert.Equal(0, await factory.UserFieldAsync<int>(account.Id, "failed_login_count"));
    }

    [Theory]
    [InlineData("{\"username\": \"a\", \"password\": ")]
    [InlineData("not json")]
    [InlineData("{\"username\": 5, \"password\": []}")]
    [InlineData("")]
    public async Task A_malformed_login_body_is_a_400_problem_and_changes_nothing(string body)
    {
        var account = await factory.CreateAccountAsync(Roles.Operator);
        await factory.CreateClient().LoginRaw(account.LoginId, "Wrong#Pass1x");
        var loginsBefore = await factory.CountAuditAsync(AuditActions.Login);

        var response = await factory.CreateClient().PostAsync("/api/auth/login", new StringContent(body, Encoding.UTF8, "application/json"));

        var problem = await response.JsonAsync(HttpStatusCode.BadRequest);
        Assert.Equal("malformed_body", problem.GetProperty("code").GetString());
        Assert.Equal(1, await factory.UserFieldAsync<int>(account.Id, "failed_login_count"));
        Assert.Equal(loginsBefore, await factory.CountAuditAsync(AuditActions.Login));
    }

    [Fact]
    public async Task Empty_fields_are_a_validation_problem_with_the_spec_message()
    {
        var problem = await (await factory.CreateClient().PostAsJsonAsync("/api/auth/login", new { username = "", password = "" })).JsonAsync(HttpStatusCode.BadRequest);

        Assert.Equal("validation_failed", problem.GetProperty("code").GetString());
        Assert.Equal("아이디와 비밀번호를 모두 입력하세요.", problem.GetProperty("detail").GetString());
    }

    [Fact]
    public async Task Every_attempt_is_audited_with_its_reason_and_a_phone_typed_as_id_is_masked()
    {
        var before = await factory.CountAuditAsync(AuditActions.Login, "unknown_id");

        await factory.CreateClient().LoginRaw("01000001234", "Whatever#2026x");

        Assert.Equal(before + 1, await factory.CountAuditAsync(AuditActions.Login, "unknown_id"));
        await using var connection = await factory.Database.OpenAsync();
        var logins = await connection.QueryAsync<string>("SELECT actor_login FROM audit_log WHERE action = @a", new { a = AuditActions.Login });
        Assert.DoesNotContain("01000001234", logins);
        Assert.Contains("010-****-1234", logins);
    }

    [Fact]
    public async Task A_first_login_must_change_the_password_before_anything_else()
    {
        var account = await factory.CreateAccountAsync(Roles.Admin, mustChangePassword: true);
        var login = await (await factory.CreateClient().LoginRaw(account.LoginId, account.Password)).JsonAsync(HttpStatusCode.OK);
        Assert.True(login.GetProperty("mustChangePassword").GetBoolean());
        var client = factory.WithToken(login.GetProperty("accessToken").GetString()!);

        var blocked = await (await client.GetAsync("/api/users")).JsonAsync(HttpStatusCode.Forbidden);
        Assert.Equal("password_change_required", blocked.GetProperty("code").GetString());
        await (await client.GetAsync("/api/auth/me")).JsonAsync(HttpStatusCode.OK);

        var weak = await (await client.PostAsJsonAsync("/api/auth/password", new { currentPassword = account.Password, newPassword = "q1w2e3r4t5y6", newPasswordConfirm = "q1w2e3r4t5y6" })).JsonAsync(HttpStatusCode.BadRequest);
        Assert.Equal("validation_failed", weak.GetProperty("code").GetString());
        var changed = await (await client.PostAsJsonAsync("/api/auth/password", new { currentPassword = account.Password, newPassword = "Gentle-Harbor-58", newPasswordConfirm = "Gentle-Harbor-58" })).JsonAsync(HttpStatusCode.OK);
        Assert.Equal("비밀번호가 변경되었습니다. 다시 로그인해 주세요.", changed.GetProperty("message").GetString());

        // The change ended the session; a new login opens everything.
        await (await client.GetAsync("/api/auth/me")).JsonAsync(HttpStatusCode.Unauthorized);
        var again = await (await factory.CreateClient().LoginRaw(account.LoginId, "Gentle-Harbor-58")).JsonAsync(HttpStatusCode.OK);
        Assert.False(again.GetProperty("mustChangePassword").GetBoolean());
        await (await factory.WithToken(again.GetProperty("accessToken").GetString()!).GetAsync("/api/users")).JsonAsync(HttpStatusCode.OK);
    }

    [Fact]
    public async Task A_login_rehashes_a_password_stored_with_a_lower_cost()
    {
        var account = await factory.CreateAccountAsync(Roles.Viewer);
        await using (var connection = await factory.Database.OpenAsync())
        {
            await connection.ExecuteAsync("UPDATE users SET password_hash = @hash WHERE id = @id", new { hash = BCrypt.Net.BCrypt.HashPassword(account.Password, 4), id = account.Id });
        }

        using var stronger = new RehashFactory(factory);
        await (await stronger.CreateClient().LoginRaw(account.LoginId, account.Password)).JsonAsync(HttpStatusCode.OK);

        Assert.Contains("$05$", await factory.UserFieldAsync<string>(account.Id, "password_hash"));
    }

    /// <summary>The same database, with a raised bcrypt cost.</summary>
    private sealed class RehashFactory(CouponDeskFactory inner) : CouponDeskFactory
    {
        protected override IEnumerable<KeyValuePair<string, string?>> Settings =>
        [
            .. base.Settings,
            new("Database:ConnectionString", inner.Database.ConnectionString),
            new("Security:PasswordHashing:WorkFactor", "5"),
        ];
    }
}

public sealed class AddressThrottleTests(AddressThrottleTests.Factory factory) : IClassFixture<AddressThrottleTests.Factory>
{
    public sealed class Factory : CouponDeskFactory
    {
        protected override IEnumerable<KeyValuePair<string, string?>> Settings =>
            base.Settings.Append(new("Security:Login:AddressFailureLimit", "3"));
    }

    [Fact]
    public async Task Too_many_failures_from_one_address_refuse_it_even_with_the_right_password()
    {
        var account = await factory.CreateAccountAsync(Roles.Viewer);
        var client = factory.CreateClient();
        for (var i = 0; i < 4; i++)
        {
            await client.LoginRaw($"nobody{i}", "Wrong#Pass1x");
        }

        var refused = await (await client.LoginRaw(account.LoginId, account.Password)).JsonAsync(HttpStatusCode.TooManyRequests);

        Assert.Equal("login_throttled", refused.GetProperty("code").GetString());
        Assert.Equal("로그인 시도가 너무 많습니다. 10분 후 다시 시도하세요.", refused.GetProperty("detail").GetString());
        Assert.Equal(1, await factory.CountAuditAsync(AuditActions.Login, "throttled"));
    }
}
