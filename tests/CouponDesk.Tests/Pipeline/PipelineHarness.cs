extern alias snapstandin;

using CouponDesk.Features.Pipeline;
using CouponDesk.Features.Users;
using CouponDesk.Hosting;
using CouponDesk.Integrations.Snap.SenderNumbers;
using CouponDesk.Security.Pii;
using CouponDesk.TestSupport;
using Dapper;
using Microsoft.Extensions.DependencyInjection;
using SnapStandInApp = snapstandin::CouponDesk.SnapStandIn.SnapStandInApp;

namespace CouponDesk.Tests.Pipeline;

/// <summary>
/// The whole pipeline on real sockets: the COUFUN stand-in, the back office (web + worker) and the SNAP stand-in polling
/// the back office's own UMS_MSG. Campaigns are inserted as the registration feature leaves them (SCHEDULED with a
/// product snapshot and an accepted recipient list). The witnesses are the stand-ins' own records.
/// </summary>
public sealed class PipelineHarness : IAsyncDisposable
{
    public const string Callback = PipelineCampaigns.Callback;

    private PipelineHarness(CoufunStandInHost coufun, TestDatabase database, LoopbackHost backOffice, LoopbackHost snap, string scratch)
    {
        Coufun = coufun;
        Database = database;
        BackOffice = backOffice;
        Snap = snap;
        Scratch = scratch;
    }

    public CoufunStandInHost Coufun { get; }

    public TestDatabase Database { get; }

    public LoopbackHost BackOffice { get; }

    public LoopbackHost Snap { get; }

    public string Scratch { get; }

    private bool ownsDatabase = true;

    /// <summary>A back-office client signed in through the real login, as a new active account of <paramref name="role"/>.</summary>
    public async Task<HttpClient> SignInAsync(string role)
    {
        var loginId = $"h{role[..1].ToLowerInvariant()}{Random.Shared.Next(100000, 999999)}";
        var password = PasswordGenerator.Generate();
        await using (var c = await Database.OpenAsync())
        {
            var now = DateTime.UtcNow;
            await c.ExecuteAsync(
                """
                INSERT INTO users (login_id, login_id_key, password_hash, role, status, must_change_password, failed_login_count, created_at, updated_at)
                VALUES (@loginId, @loginId, @hash, @role, 'ACTIVE', 0, 0, @now, @now)
                """, new { loginId, hash = BCrypt.Net.BCrypt.HashPassword(password, 4), role, now });
        }

        var client = BackOffice.CreateClient();
        client.DefaultRequestHeaders.Authorization = new("Bearer", await CouponDeskFactory.LoginAsync(client, loginId, password));
        return client;
    }

    public static IEnumerable<KeyValuePair<string, string?>> PipelineSettings(string coufunBaseUrl) =>
    [
        new("Coufun:BaseUrl", coufunBaseUrl),
        new("Coufun:RequestTimeoutSeconds", "10"),
        new("Pipeline:PollIntervalMs", "50"),
        new("Pipeline:ResultSyncIntervalSeconds", "1"),
        new("Pipeline:IssueBackoffMs:0", "100"),
        new("Pipeline:IssueBackoffMs:1", "200"),
        new("Pipeline:LeaseSeconds", "15"),
        new("Pipeline:IssueConcurrency", "4"),
        new("Pipeline:TrIdPrefix", "CDT" + Guid.NewGuid().ToString("N")[..6]),
    ];

    public static Task<PipelineHarness> StartAsync(string roles = "web,worker", params KeyValuePair<string, string?>[] extra) =>
        StartAsync(null, roles, extra);

    /// <summary>On <paramref name="ownDatabase"/> when given (created and migrated here, left to the caller to drop), else on a fresh one.</summary>
    public static Task<PipelineHarness> StartAsync(TestDatabase? ownDatabase, string roles = "web,worker", params KeyValuePair<string, string?>[] extra) =>
        StartAsync(ownDatabase, roles, snapSettings: [], extra);

    /// <summary>As above, with <paramref name="snapSettings"/> added to (and winning over) the SNAP stand-in's settings.</summary>
    public static async Task<PipelineHarness> StartAsync(TestDatabase? ownDatabase, string roles, KeyValuePair<string, string?>[] snapSettings, params KeyValuePair<string, string?>[] extra)
    {
        var coufun = await CoufunStandInHost.StartAsync();
        var database = ownDatabase ?? new TestDatabase();
        await database.MigrateAsync();
        var scratch = TestSettings.NewScratchDirectory();
        var backOffice = await LoopbackHost.StartAsync(args => CouponDeskHost.Build(args),
        [
            new("environment", "Testing"),
            .. TestSettings.BackOffice(database, scratch),
            new("CouponDesk:Roles", roles),
            .. PipelineSettings(coufun.BaseUrl),
            .. extra,
        ]);
        await using (var c = await database.OpenAsync())
        {
            await backOffice.Services.GetRequiredService<SenderNumberRegistry>().EnsureRegisteredAsync(c, Callback, "테스트", CancellationToken.None);
        }

        var snap = await LoopbackHost.StartAsync(SnapStandInApp.Build,
        [
            new("environment", "Testing"),
            new("Agent:ConnectionString", database.ConnectionString),
            new("Agent:Home", Path.Combine(scratch, "agent")),
            new("Agent:PollIntervalMs", "100"),
            new("Agent:Tps", "5000"),
            new("Agent:DeliveryDelayMinMs", "0"),
            new("Agent:DeliveryDelayMaxMs", "100"),
            new("Agent:RegisteredCallbackNumbers:0", Callback),
            new("Serilog:MinimumLevel:Default", "Warning"),
            .. snapSettings,
        ]);
        return new PipelineHarness(coufun, database, backOffice, snap, scratch) { ownsDatabase = ownDatabase is null };
    }

    /// <summary>Inserts a SCHEDULED campaign due now, with <paramref name="recipients"/> phones 010-0000-0001…; returns its id.</summary>
    public Task<long> ScheduleCampaignAsync(int recipients, int firstPhone = 1, DateTime? sendAtUtc = null, long? costEstimate = null) =>
        PipelineCampaigns.ScheduleAsync(Database.Connections, BackOffice.Services.GetRequiredService<PiiProtector>(), recipients, firstPhone, sendAtUtc, costEstimate: costEstimate);

    public async Task<string> StatusAsync(long campaignId)
    {
        await using var c = await Database.OpenAsync();
        return await c.ExecuteScalarAsync<string>("SELECT status FROM campaigns WHERE id = @campaignId", new { campaignId }) ?? "";
    }

    /// <summary>Waits until the campaign reaches one of <paramref name="states"/> (fails after <paramref name="seconds"/>).</summary>
    public async Task<string> WaitForAsync(long campaignId, int seconds, params string[] states)
    {
        var status = "";
        for (var i = 0; i < seconds * 10; i++)
        {
            status = await StatusAsync(campaignId);
            if (states.Contains(status))
            {
                return status;
            }

            await Task.Delay(100);
        }

        var progress = await BackOffice.Services.GetRequiredService<PipelineProgress>().GetAsync(campaignId, CancellationToken.None);
        throw new TimeoutException($"campaign {campaignId} still {status}: {string.Join(", ", progress!.Items.Select(kv => $"{kv.Key}={kv.Value}"))} stop={progress.StopCode}");
    }

    public async ValueTask DisposeAsync()
    {
        await Snap.DisposeAsync();
        await BackOffice.DisposeAsync();
        await Coufun.DisposeAsync();
        if (ownsDatabase)
        {
            await Database.DisposeAsync();
        }

        if (Directory.Exists(Scratch))
        {
            Directory.Delete(Scratch, recursive: true);
        }
    }
}
