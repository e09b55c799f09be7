using System.Net;
using System.Net.Http.Json;
using CouponDesk.Features.Audit;
using CouponDesk.Features.Users;
using CouponDesk.Security;
using CouponDesk.TestSupport;
using Dapper;
using Microsoft.Extensions.DependencyInjection;

namespace CouponDesk.Tests.Accounts;

public sealed class UserManagementTests(CouponDeskFactory factory) : IClassFixture<CouponDeskFactory>
{
    private static object NewUser(string loginId, string? password = "Quiet-River-2047", string role = Roles.Operator) =>
        new { loginId, password, name = "홍길동", email = "hong@example.com", mobile = "01000004321", role, status = "ACTIVE" };

    [Fact]
    public async Task An_admin_creates_a_user_whose_personal_fields_are_stored_encrypted()
    {
        var admin = await factory.CreateClientAsync(Roles.Admin);

        var created = await (await admin.PostAsJsonAsync("/api/users", NewUser("newstaff01"))).JsonAsync(HttpStatusCode.Created);

        Assert.Equal("사용자(newstaff01)가 등록되었습니다.", created.GetProperty("message").GetString());
        var id = created.GetProperty("user").GetProperty("id").GetInt64();
        var storedMobile = await factory.UserFieldAsync<byte[]>(id, "mobile_enc");
        Assert.DoesNotContain("01000004321", System.Text.Encoding.Latin1.GetString(storedMobile));
        Assert.True(await factory.UserFieldAsync<bool>(id, "must_change_password"));

        var list = await (await admin.GetAsync("/api/users?q=newstaff")).JsonAsync(HttpStatusCode.OK);
        Assert.Equal("홍*동", list.EnumerateArray().Single().GetProperty("name").GetString());

        var views = await factory.CountAuditAsync(AuditActions.UserViewed);
        var detail = await (await admin.GetAsync($"/api/users/{id}")).JsonAsync(HttpStatusCode.OK);
        Assert.Equal("01000004321", detail.GetProperty("mobile").GetString());
        Assert.Equal(views + 1, await factory.CountAuditAsync(AuditActions.UserViewed));
    }

    [Fact]
    public async Task A_generated_password_is_shown_once_and_works()
    {
        var admin = await factory.CreateClientAsync(Roles.Admin);

        var created = await (await admin.PostAsJsonAsync("/api/users", NewUser("genstaff01", password: null))).JsonAsync(HttpStatusCode.Created);

        var password = created.GetProperty("generatedPassword").GetString()!;
        Assert.Null(PasswordPolicy.Check(password, "genstaff01"));
        await (await factory.CreateClient().LoginRaw("GENSTAFF01", password)).JsonAsync(HttpStatusCode.OK);
    }

    [Theory]
    [InlineData("bad id!", "loginId")]
    [InlineData("sixteencharsxxxx", "loginId")]
    [InlineData("01000001234", "loginId")]
    public async Task Invalid_login_ids_are_refused(string loginId, string field)
    {
        var admin = await factory.CreateClientAsync(Roles.Admin);

        var problem = await (await admin.PostAsJsonAsync("/api/users", NewUser(loginId))).JsonAsync(HttpStatusCode.BadRequest);

        Assert.True(problem.GetProperty("errors").TryGetProperty(field, out _));
    }

    [Fact]
    public async Task Invalid_fields_are_each_reported_and_nothing_is_created()
    {
        var admin = await factory.CreateClientAsync(Roles.Admin);
        await using var connection = await factory.Database.OpenAsync();
        var before = await connection.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM users");

        var problem = await (await admin.PostAsJsonAsync("/api/users", new { loginId = "okid0001", password = "short", name = "<script>", email = "not-mail", mobile = "010-0000", role = "ROOT", status = "MAYBE" })).JsonAsync(HttpStatusCode.BadRequest);

        var errors = problem.GetProperty("errors");
        foreach (var field in new[] { "password", "name", "email", "mobile", "role", "status" })
        {
            Assert.True(errors.TryGetProperty(field, out _), field);
        }

        Assert.Equal(before, await connection.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM users"));
    }

    [Fact]
    public async Task A_login_id_is_unique_whatever_its_case()
    {
        var admin = await factory.CreateClientAsync(Roles.Admin);
        await (await admin.PostAsJsonAsync("/api/users", NewUser("CaseUser1"))).JsonAsync(HttpStatusCode.Created);

        var problem = await (await admin.PostAsJsonAsync("/api/users", NewUser("caseuser1"))).JsonAsync(HttpStatusCode.Conflict);

        Assert.Equal("duplicate_login_id", problem.GetProperty("code").GetString());
        Assert.Equal("이미 사용 중인 로그인 ID입니다.", problem.GetProperty("detail").GetString());
    }

    [Fact]
    public async Task Nobody_changes_their_own_role_or_status()
    {
        var admin = await factory.CreateClientAsync(Roles.Admin);
        var me = await (await admin.GetAsync("/api/auth/me")).JsonAsync(HttpStatusCode.OK);

        var problem = await (await admin.PutAsJsonAsync($"/api/users/{me.GetProperty("id").GetInt64()}", new { role = Roles.Viewer, status = "ACTIVE" })).JsonAsync(HttpStatusCode.Conflict);

        Assert.Equal("self_change", problem.GetProperty("code").GetString());
    }

    [Fact]
    public async Task The_last_active_admin_cannot_be_demoted_or_deactivated()
    {
        // Through the API an ADMIN acting on someone else always leaves themselves, so the rule shows when the only
        // other ADMIN lost the role meanwhile (a race) or an actor without an account acts: tested at the service.
        await using var isolated = new CouponDeskFactory();
        await isolated.InitializeAsync();
        var only = await isolated.CreateAccountAsync(Roles.Admin);
        var users = isolated.Services.GetRequiredService<UserAccounts>();
        var actor = new AuditActor(null, "maintenance", "127.0.0.1", null, null);

        var (_, demote) = await users.UpdateAsync(only.Id, new UpdateUserRequest(null, null, null, Roles.Operator, AccountStatus.Active), actor, default);
        var (_, deactivate) = await users.UpdateAsync(only.Id, new UpdateUserRequest(null, null, null, Roles.Admin, AccountStatus.Inactive), actor, default);

        Assert.Equal("last_admin", demote!.Code);
        Assert.Equal("마지막 관리자 계정은 비활성화하거나 권한을 변경할 수 없습니다.", deactivate!.Detail);
        Assert.Equal(Roles.Admin, await isolated.UserFieldAsync<string>(only.Id, "role"));

        var second = await isolated.CreateAccountAsync(Roles.Admin);
        var (_, allowed) = await users.UpdateAsync(only.Id, new UpdateUserRequest(null, null, null, Roles.Operator, AccountStatus.Active), actor, default);
        Assert.Null(allowed);
        Assert.NotEqual(only.Id, second.Id);
    }
}
