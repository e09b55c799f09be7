using System.Net;
using CouponDesk.Commands;
using CouponDesk.Features.Audit;
using CouponDesk.Features.Users;
using CouponDesk.Security;
using CouponDesk.TestSupport;
using Dapper;

namespace CouponDesk.Tests.Accounts;

public sealed class MaintenanceCommandTests(CouponDeskFactory factory) : IClassFixture<CouponDeskFactory>
{
    [Fact]
    public async Task Unlock_user_opens_a_locked_admin_and_is_audited()
    {
        var admin = await factory.CreateAccountAsync(Roles.Admin);
        for (var i = 0; i < 5; i++)
        {
            await factory.CreateClient().LoginRaw(admin.LoginId, $"Wrong#Pass{i}x");
        }

        Assert.Equal(AccountStatus.Locked, await factory.UserFieldAsync<string>(admin.Id, "status"));

        Assert.Equal(0, await SecurityCommands.RunAsync("unlock-user", admin.LoginId.ToUpperInvariant(), factory.Services));

        await (await factory.CreateClient().LoginRaw(admin.LoginId, admin.Password)).JsonAsync(HttpStatusCode.OK);
        await using var connection = await factory.Database.OpenAsync();
        Assert.Equal("maintenance", await connection.ExecuteScalarAsync<string>(
            "SELECT actor_login FROM audit_log WHERE action = @a AND target_id = @id", new { a = AuditActions.UserUnlocked, id = admin.Id.ToString() }));
        Assert.Equal(1, await SecurityCommands.RunAsync("unlock-user", "nobody0009", factory.Services));
    }

    [Fact]
    public async Task Verify_audit_exits_zero_on_an_intact_chain()
    {
        await factory.CreateClientAsync(Roles.Viewer);

        Assert.Equal(0, await SecurityCommands.RunAsync("verify-audit", null, factory.Services));
    }
}
