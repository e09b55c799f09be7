extern alias snapstandin;

using CouponDesk.Data;
using CouponDesk.Features.Products;
using CouponDesk.Features.Users;
using CouponDesk.Hosting;
using CouponDesk.TestSupport;
using Dapper;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using SnapStandInApp = snapstandin::CouponDesk.SnapStandIn.SnapStandInApp;

namespace CouponDesk.Web.Tests;

/// <summary>
/// One back office on a real loopback socket (serving the pages from the source <c>wwwroot</c>) that also runs the
/// campaign pipeline (role <c>worker</c>), the COUFUN stand-in it syncs its catalog from and buys coupons at, the SNAP
/// stand-in polling its <c>UMS_MSG</c>, and one headless Debian Chromium, shared by every browser test (one collection, so the
/// tests run one after another and the whole project stays well under three minutes).
/// </summary>
public sealed class WebUiFixture : IAsyncLifetime
{
    public static readonly string[] ChromiumArgs =
        ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"];

    private static int accountCounter;

    public TestDatabase Database { get; } = new();

    public CoufunStandInHost StandIn { get; private set; } = null!;

    public LoopbackHost BackOffice { get; private set; } = null!;

    public LoopbackHost Snap { get; private set; } = null!;

    public IPlaywright Playwright { get; private set; } = null!;

    public IBrowser Browser { get; private set; } = null!;

    public string ScratchDirectory { get; } = TestSettings.NewScratchDirectory();

    /// <summary>Git-ignored: <c>.local/screenshots</c> of the repository.</summary>
    public static string ScreenshotDirectory => Path.Combine(RepositoryRoot, ".local", "screenshots");

    public static string RepositoryRoot { get; } = FindRepositoryRoot();

    public static string WebRoot => Path.Combine(RepositoryRoot, "src", "CouponDesk", "wwwroot");

    public Uri BaseAddress => BackOffice.BaseAddress;

    public async Task InitializeAsync()
    {
        Directory.CreateDirectory(ScreenshotDirectory);
        StandIn = await CoufunStandInHost.StartAsync();
        await Database.MigrateAsync();
        BackOffice = await LoopbackHost.StartAsync(args => CouponDeskHost.Build(args),
        [
            new("environment", "Testing"),
            new("webroot", WebRoot),
            .. TestSettings.BackOffice(Database, ScratchDirectory),
            new("CouponDesk:Roles", "web,worker"),
            new("Coufun:BaseUrl", StandIn.BaseUrl),
            new("Coufun:RequestTimeoutSeconds", "10"),
            // The pipeline tests' quick loops, a little calmer: the browser shares the 2 cores.
            new("Pipeline:PollIntervalMs", "200"),
            new("Pipeline:ResultSyncIntervalSeconds", "1"),
            new("Pipeline:IssueBackoffMs:0", "100"),
            new("Pipeline:IssueBackoffMs:1", "200"),
            new("Pipeline:LeaseSeconds", "15"),
            new("Pipeline:TrIdPrefix", "CDW" + Guid.NewGuid().ToString("N")[..6]),
        ]);
        // A real catalog (with images) from the stand-in, as the 04:00 job would fetch it.
        var sync = await BackOffice.Services.GetRequiredService<CatalogSync>().RunAsync(CatalogSync.Scheduled, null, CancellationToken.None);
        Assert.Equal("SUCCEEDED", sync.Value!.Outcome);
        await BackOffice.Services.GetRequiredService<Features.Campaigns.SenderNumbers.ISenderNumbers>().AddAsync("16000000", "대표번호", isDefault: true);
        Snap = await LoopbackHost.StartAsync(SnapStandInApp.Build,
        [
            new("environment", "Testing"),
            new("Agent:ConnectionString", Database.ConnectionString),
            new("Agent:Home", Path.Combine(ScratchDirectory, "agent")),
            new("Agent:PollIntervalMs", "200"),
            new("Agent:Tps", "5000"),
            new("Agent:DeliveryDelayMinMs", "0"),
            new("Agent:DeliveryDelayMaxMs", "100"),
            new("Agent:RegisteredCallbackNumbers:0", "16000000"),
            new("Serilog:MinimumLevel:Default", "Warning"),
        ]);

        var executable = Environment.GetEnvironmentVariable("COUPONDESK_CHROMIUM") is { Length: > 0 } path ? path : "/usr/bin/chromium";
        Playwright = await Microsoft.Playwright.Playwright.CreateAsync();
        Browser = await Playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = executable,
            Headless = true,
            Args = ChromiumArgs,
            Timeout = 30_000,
        });
    }

    public sealed record Account(long Id, string LoginId, string Password, string Role);

    /// <summary>Inserts an ACTIVE account with a known password (a required change when asked).</summary>
    public async Task<Account> CreateAccountAsync(string role, bool mustChangePassword = false)
    {
        var loginId = $"w{role[..1].ToLowerInvariant()}{Interlocked.Increment(ref accountCounter):D4}{Random.Shared.Next(1000, 9999)}";
        var password = PasswordGenerator.Generate();
        var workFactor = BackOffice.Services.GetRequiredService<PasswordHashingOptions>().WorkFactor;
        await using var connection = await BackOffice.Services.GetRequiredService<DbConnectionFactory>().OpenAsync();
        var now = DateTime.UtcNow;
        var id = await connection.ExecuteScalarAsync<long>(
            """
            INSERT INTO users (login_id, login_id_key, password_hash, role, status, must_change_password, failed_login_count, created_at, updated_at)
            VALUES (@loginId, @loginId, @hash, @role, 'ACTIVE', @mustChangePassword, 0, @now, @now);
            SELECT LAST_INSERT_ID();
            """,
            new { loginId, hash = BCrypt.Net.BCrypt.HashPassword(password, workFactor), role, mustChangePassword, now });
        return new Account(id, loginId, password, role);
    }

    /// <summary>Makes every session of the user idle for longer than the idle timeout (a real expiry, not a revocation).</summary>
    public async Task AgeSessionsAsync(long userId, TimeSpan by)
    {
        await using var connection = await BackOffice.Services.GetRequiredService<DbConnectionFactory>().OpenAsync();
        await connection.ExecuteAsync(
            "UPDATE auth_sessions SET last_seen_at = @at WHERE user_id = @userId AND ended_at IS NULL",
            new { at = DateTime.UtcNow - by, userId });
    }

    public async Task DisposeAsync()
    {
        if (Browser is not null)
        {
            await Browser.CloseAsync();
        }

        Playwright?.Dispose();
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

    private static string FindRepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "CouponDesk.slnx")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("CouponDesk.slnx not found above " + AppContext.BaseDirectory);
    }
}

[CollectionDefinition(Name)]
public sealed class WebUiCollection : ICollectionFixture<WebUiFixture>
{
    public const string Name = "web-ui";
}
