extern alias snapstandin;

using CouponDesk.Data;
using CouponDesk.Features.Products;
using CouponDesk.Hosting;
using CouponDesk.TestSupport;
using Dapper;
using Microsoft.Extensions.DependencyInjection;
using SnapStandInApp = snapstandin::CouponDesk.SnapStandIn.SnapStandInApp;

namespace CouponDesk.Web.Tests;

/// <summary>
/// The real parts a browser test talks to: one back office on a loopback socket (serving the pages from the source
/// <c>wwwroot</c>, with the roles asked for), the COUFUN stand-in it syncs its catalog from and buys coupons at, and the
/// SNAP stand-in polling its <c>UMS_MSG</c>, each on its own fresh database.
/// </summary>
public sealed class WebStack : IAsyncDisposable
{
    public const string SenderNumber = "16000000";

    private static int accountCounter;

    private WebStack()
    {
    }

    public TestDatabase Database { get; } = new();

    public CoufunStandInHost StandIn { get; private set; } = null!;

    public LoopbackHost BackOffice { get; private set; } = null!;

    public LoopbackHost Snap { get; private set; } = null!;

    public string ScratchDirectory { get; } = TestSettings.NewScratchDirectory();

    public Uri BaseAddress => BackOffice.BaseAddress;

    /// <summary>
    /// Starts the stack. <paramref name="roles"/> is <c>CouponDesk:Roles</c> (with <c>jobs</c>, Quartz runs the real periodic
    /// jobs); <paramref name="syncCatalog"/> runs the catalog sync as the 04:00 job would, before any page is opened;
    /// <paramref name="settings"/> come after the defaults and win.
    /// </summary>
    public static async Task<WebStack> StartAsync(string roles, bool syncCatalog, params KeyValuePair<string, string?>[] settings)
    {
        var stack = new WebStack();
        try
        {
            await stack.StartCoreAsync(roles, syncCatalog, settings);
            return stack;
        }
        catch
        {
            await stack.DisposeAsync();
            throw;
        }
    }

    private async Task StartCoreAsync(string roles, bool syncCatalog, KeyValuePair<string, string?>[] settings)
    {
        StandIn = await CoufunStandInHost.StartAsync();
        await Database.MigrateAsync();
        BackOffice = await LoopbackHost.StartAsync(args => CouponDeskHost.Build(args),
        [
            new("environment", "Testing"),
            new("webroot", WebUiFixture.WebRoot),
            .. TestSettings.BackOffice(Database, ScratchDirectory),
            new("CouponDesk:Roles", roles),
            new("Coufun:BaseUrl", StandIn.BaseUrl),
            new("Coufun:RequestTimeoutSeconds", "10"),
            // The pipeline tests' quick loops, a little calmer: the browser shares the 2 cores.
            new("Pipeline:PollIntervalMs", "200"),
            new("Pipeline:ResultSyncIntervalSeconds", "1"),
            new("Pipeline:IssueBackoffMs:0", "100"),
            new("Pipeline:IssueBackoffMs:1", "200"),
            new("Pipeline:LeaseSeconds", "15"),
            new("Pipeline:TrIdPrefix", "CDW" + Guid.NewGuid().ToString("N")[..6]),
            .. settings,
        ]);
        if (syncCatalog)
        {
            // A real catalog (with images) from the stand-in, as the 04:00 job would fetch it.
            var sync = await BackOffice.Services.GetRequiredService<CatalogSync>().RunAsync(CatalogSync.Scheduled, null, CancellationToken.None);
            Assert.Equal("SUCCEEDED", sync.Value!.Outcome);
        }

        await BackOffice.Services.GetRequiredService<Features.Campaigns.SenderNumbers.ISenderNumbers>().AddAsync(SenderNumber, "대표번호", isDefault: true);
        Snap = await LoopbackHost.StartAsync(SnapStandInApp.Build,
        [
            new("environment", "Testing"),
            new("Agent:ConnectionString", Database.ConnectionString),
            new("Agent:Home", Path.Combine(ScratchDirectory, "agent")),
            new("Agent:PollIntervalMs", "200"),
            new("Agent:Tps", "5000"),
            new("Agent:DeliveryDelayMinMs", "0"),
            new("Agent:DeliveryDelayMaxMs", "100"),
            new("Agent:RegisteredCallbackNumbers:0", SenderNumber),
            new("Serilog:MinimumLevel:Default", "Warning"),
        ]);
    }

    /// <summary>Inserts an ACTIVE account with a known password (a required change when asked).</summary>
    public async Task<WebUiFixture.Account> CreateAccountAsync(string role, bool mustChangePassword = false)
    {
        var created = await TestAccounts.InsertAsync(BackOffice.Services, "w", Interlocked.Increment(ref accountCounter), 4, role, mustChangePassword);
        return new WebUiFixture.Account(created.Id, created.LoginId, created.Password, role);
    }

    /// <summary>A connection to the back office's database, for a test's own checks and time shortcuts.</summary>
    public async Task<MySqlConnector.MySqlConnection> OpenAsync() =>
        await BackOffice.Services.GetRequiredService<DbConnectionFactory>().OpenAsync();

    /// <summary>
    /// The form accepts only send times at least the preparation lead ahead (10 minutes or more); a test that watches a
    /// whole run moves a scheduled campaign's send time to <paramref name="sendIn"/> from now, starting now. Nothing
    /// else is touched: the starter, the pipeline, the agent and the jobs do the rest as they would at the real time.
    /// </summary>
    public async Task BringForwardAsync(long campaignId, TimeSpan sendIn)
    {
        await using var connection = await OpenAsync();
        var now = DateTime.UtcNow;
        Assert.Equal(1, await connection.ExecuteAsync(
            "UPDATE campaigns SET scheduled_at = @sendAt, start_at = @now WHERE id = @campaignId AND status = 'SCHEDULED'",
            new { campaignId, sendAt = now + sendIn, now }));
    }

    public async Task<string> CampaignStatusAsync(long campaignId)
    {
        await using var connection = await OpenAsync();
        return await connection.ExecuteScalarAsync<string>("SELECT status FROM campaigns WHERE id = @campaignId", new { campaignId }) ?? "";
    }

    /// <summary>Waits (bounded by the test's own timeout) until the pipeline moved the campaign to one of <paramref name="states"/>.</summary>
    public async Task WaitForStatusAsync(long campaignId, params string[] states)
    {
        while (Array.IndexOf(states, await CampaignStatusAsync(campaignId)) < 0)
        {
            await Task.Delay(250);
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (Snap is not null)
        {
            await Snap.DisposeAsync();
        }

        if (BackOffice is not null)
        {
            await BackOffice.DisposeAsync();
        }

        if (StandIn is not null)
        {
            await StandIn.DisposeAsync();
        }

        await Database.DisposeAsync();
        if (Directory.Exists(ScratchDirectory))
        {
            Directory.Delete(ScratchDirectory, recursive: true);
        }
    }
}
