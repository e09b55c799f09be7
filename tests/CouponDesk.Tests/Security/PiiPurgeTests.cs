using System.Net;
using System.Net.Http.Json;
using CouponDesk.Features.Audit;
using CouponDesk.Features.Privacy;
using CouponDesk.Security;
using CouponDesk.Tests.Accounts;
using Dapper;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;

namespace CouponDesk.Tests.Security;

public sealed class PiiPurgeTests(PiiPurgeTests.Factory factory) : IClassFixture<PiiPurgeTests.Factory>
{
    /// <summary>The back office plus one purge step of a pretend feature: the registry is how features plug in.</summary>
    public sealed class Factory : ClockedFactory
    {
        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            base.ConfigureWebHost(builder);
            builder.ConfigureTestServices(services => services.AddPiiPurgeStep<CountingStep>());
        }
    }

    public sealed class CountingStep : IPiiPurgeStep
    {
        public static PiiPurgeContext? LastContext { get; private set; }

        public string Name => "probe.values";

        public Task PurgeAsync(PiiPurgeContext context, CancellationToken cancellationToken)
        {
            LastContext = context;
            context.Count(7);
            return Task.CompletedTask;
        }
    }

    [Fact]
    public async Task Every_registered_step_runs_and_the_run_is_audited_with_counts_only()
    {
        var admin = await factory.CreateClientAsync(Roles.Admin);
        var created = await (await admin.PostAsJsonAsync("/api/users", new { loginId = "leaver01", password = "Quiet-River-2047", name = "이영희", mobile = "01000007777", role = Roles.Viewer, status = "INACTIVE" })).JsonAsync(HttpStatusCode.Created);
        var id = created.GetProperty("user").GetProperty("id").GetInt64();
        var purge = factory.Services.GetRequiredService<PiiPurge>();

        var early = await purge.RunAsync();
        Assert.Equal(0, early["users.personal_fields"]);
        factory.Clock.Advance(TimeSpan.FromDays(366));
        var counts = await purge.RunAsync();

        Assert.Equal(7, counts["probe.values"]);
        Assert.Equal(TimeSpan.FromDays(90), CountingStep.LastContext!.RetentionAfterFinish);
        Assert.Equal(1, counts["users.personal_fields"]);
        await using var connection = await factory.Database.OpenAsync();
        Assert.Null(await connection.ExecuteScalarAsync<byte[]?>("SELECT mobile_enc FROM users WHERE id = @id", new { id }));
        Assert.Equal("leaver01", await connection.ExecuteScalarAsync<string>("SELECT login_id FROM users WHERE id = @id", new { id }));
        var details = await connection.ExecuteScalarAsync<string>("SELECT details FROM audit_log WHERE action = @a ORDER BY id DESC LIMIT 1", new { a = AuditActions.PiiPurged });
        Assert.Contains("\"probe.values\":\"7\"", details);
    }
}
