using System.Net.Http.Json;
using System.Text.Json;
using CouponDesk.Security;
using CouponDesk.TestSupport;
using Dapper;
using Microsoft.Playwright;

namespace CouponDesk.Web.Tests;

/// <summary>
/// One <see cref="WebStack"/> (back office with the campaign pipeline — role <c>worker</c> —, the COUFUN and SNAP
/// stand-ins) and one headless Debian Chromium, shared by every browser test (one collection, so the tests run one after
/// another and the whole project stays within a few minutes). Tests that need the real periodic jobs (Quartz, role
/// <c>jobs</c>) start their own: <see cref="OperatorDayTests"/> with <see cref="RealJobs"/>, DashboardJobsTests with a
/// jobs process on this database.
/// </summary>
public sealed class WebUiFixture : IAsyncLifetime
{
    public static readonly string[] ChromiumArgs =
        ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"];

    public WebStack Stack { get; private set; } = null!;

    public TestDatabase Database => Stack.Database;

    public CoufunStandInHost StandIn => Stack.StandIn;

    public LoopbackHost BackOffice => Stack.BackOffice;

    public IPlaywright Playwright { get; private set; } = null!;

    public IBrowser Browser { get; private set; } = null!;

    /// <summary>Git-ignored: <c>.local/screenshots</c> of the repository.</summary>
    public static string ScreenshotDirectory => Path.Combine(RepositoryRoot, ".local", "screenshots");

    public static string RepositoryRoot { get; } = FindRepositoryRoot();

    public static string WebRoot => Path.Combine(RepositoryRoot, "src", "CouponDesk", "wwwroot");

    public Uri BaseAddress => Stack.BaseAddress;

    /// <summary>
    /// Settings for a stack with the real jobs: delivery results reach the back office only through the
    /// <c>snap-result-sync</c> Quartz job (every 5 s, the shortest the setting allows; 180 s in production), not the
    /// worker's own quick loop.
    /// </summary>
    public static readonly KeyValuePair<string, string?>[] RealJobs =
    [
        new("Pipeline:ResultSyncIntervalSeconds", "0"),
        new("Snap:ResultSyncSeconds", "5"),
    ];

    public async Task InitializeAsync()
    {
        Directory.CreateDirectory(ScreenshotDirectory);
        Stack = await WebStack.StartAsync("web,worker", syncCatalog: true,
            // C/S replacements within seconds; the night window off (start = end), so a browser test's C/S resend
            // does not depend on the time of day (D-SET-6: it is the one window of 설정; RegisterPageTests switches it on).
            new("CustomerService:FollowUpPollSeconds", "1"),
            new("Campaigns:NightStartHour", "0"),
            new("Campaigns:NightEndHour", "0"),
            // 일괄 폐기 승인 is on by default (spec §1.3): off here so the page test of the discard acts directly;
            // ApprovalPageTests switches what it needs on and off through 설정.
            new("Approvals:BulkDiscard", "false"));
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
    public Task<Account> CreateAccountAsync(string role, bool mustChangePassword = false) => Stack.CreateAccountAsync(role, mustChangePassword);

    /// <summary>An ADMIN's API client of its own (one session per account), for 설정.</summary>
    public async Task<HttpClient> AdminApiAsync()
    {
        var account = await CreateAccountAsync(Roles.Admin);
        var client = new HttpClient { BaseAddress = BaseAddress };
        client.DefaultRequestHeaders.Authorization = new("Bearer", await CouponDeskFactory.LoginAsync(client, account.LoginId, account.Password));
        return client;
    }

    /// <summary>Saves 설정 values with the version just read (null = back to the configuration file's value).</summary>
    public static async Task ChangeSettingsAsync(HttpClient admin, IReadOnlyDictionary<string, object?> values)
    {
        var settings = JsonDocument.Parse(await admin.GetStringAsync("/api/settings")).RootElement;
        (await admin.PutAsJsonAsync("/api/settings", new { version = settings.GetProperty("version").GetInt64(), values })).EnsureSuccessStatusCode();
    }

    /// <summary>Makes every session of the user idle for longer than the idle timeout (a real expiry, not a revocation).</summary>
    public async Task AgeSessionsAsync(long userId, TimeSpan by)
    {
        await using var connection = await Stack.OpenAsync();
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
        if (Stack is not null)
        {
            await Stack.DisposeAsync();
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
