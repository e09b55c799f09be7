using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using CouponDesk.Features.Products;
using CouponDesk.TestSupport;
using Dapper;
using Microsoft.Extensions.DependencyInjection;
using MySqlConnector;
using Xunit.Abstractions;

namespace CouponDesk.Tests.Pipeline.Faults;

/// <summary>
/// Issue 22 scenario 1: MariaDB stops mid-campaign — once during issuance, once while messages are queued and results
/// synced — and comes back (a real shutdown and start of a MariaDB of the test's own, started with scripts/mariadb on its
/// own port, so the suite's shared server is never touched). The back office (in-process, every role) and a worker
/// process keep running and reconnect by themselves; the worker logs each outage once (one "Database unreachable" and one
/// "Database reachable again" line per outage, not one per loop and poll); a catalog sync run during the second outage
/// fails with its reason and the next one succeeds; the campaign completes with the common witnesses.
/// </summary>
public sealed class DatabaseRestartFaultTest(ITestOutputHelper output)
{
    private const string Instance = "fault-mariadb";

    [Fact]
    [Trait("Category", FaultSuite.Category)]
    public async Task The_database_restarted_twice_mid_campaign_the_processes_reconnect_log_it_once_and_the_campaign_completes()
    {
        var recipients = FaultSuite.Recipients(300);
        var down = TimeSpan.FromSeconds(FaultSuite.LongForm ? 30 : 10);
        var server = await StartServerAsync();
        var database = new TestDatabase(server);
        var lines = new ConcurrentQueue<string>();
        Process? worker = null;
        try
        {
            // An outage between a create call and the storing of its answer leaves that order in doubt (its TR_ID is
            // used up, spec §8.1); the spending guard must not be what stops the run for them (as in the kill test).
            await using var h = await PipelineHarness.StartAsync(database, roles: "web,worker,jobs", extra: [new("Pipeline:SpendingMarginPercent", "100")]);
            await h.Coufun.SetFaultsAsync(new { endpoints = new[] { "create" }, latencyMinMs = 50, latencyMaxMs = 150 });
            var environment = WorkerProcesses.Environment(h,
                ("Serilog:MinimumLevel:Default", "Warning"),
                ("Pipeline:SpendingMarginPercent", "100"),
                ("Liveness:InstanceName", "fault-db-w0"),
                // An outage longer than the silence limit would have the peers fence each other; here both beat again after it.
                ("Liveness:DeadAfterSeconds", "120"),
                ("Liveness:SelfFenceSeconds", "90"));
            worker = WorkerProcesses.Start(environment, lines.Enqueue);
            await FaultSuite.WaitUntilAsync(async () => await FaultSuite.CountAsync(h, "SELECT COUNT(*) FROM worker_heartbeats WHERE instance_name = 'fault-db-w0'", 0) > 0,
                120, "the worker's first heartbeat");
            var clock = Stopwatch.StartNew();
            var id = await h.ScheduleCampaignAsync(recipients);

            // First outage: during issuance.
            await FaultSuite.WaitUntilAsync(async () => await FaultSuite.CountAsync(h, "SELECT COUNT(*) FROM delivery_items WHERE campaign_id = @id AND coupon_id IS NOT NULL", id) >= 10,
                300, "the first coupons");
            await OutageAsync(down, during: null);
            output.WriteLine($"after the first outage: {await h.StatusAsync(id)}");
            // The worker must have seen the database back before the second outage, or the two would be one to it (CI
            // once cut it again within a second of the restart: the first messages were already queued).
            await FaultSuite.WaitUntilAsync(() => Task.FromResult(lines.Any(l => l.Contains("Database reachable again", StringComparison.Ordinal))),
                120, "the worker's line that the database is back");

            // Second outage: while messages are queued (and results synced), with a catalog sync running into it.
            await FaultSuite.WaitUntilAsync(async () => await FaultSuite.CountAsync(h, "SELECT COUNT(*) FROM messages WHERE campaign_id = @id", id) >= 10,
                FaultSuite.CampaignSeconds(recipients), "the first queued messages");
            var sync = h.BackOffice.Services.GetRequiredService<CatalogSync>();
            string? duringOutage = null;
            await OutageAsync(down, during: async () => duringOutage = await TrySyncAsync(sync));
            output.WriteLine($"catalog sync during the outage: {duringOutage}");
            Assert.NotEqual("SUCCEEDED", duringOutage);

            var final = await h.WaitForAsync(id, FaultSuite.CampaignSeconds(recipients, 2 * (int)down.TotalSeconds), "COMPLETED", "PARTIALLY_FAILED", "FAILED", "ERROR", "CANCELLED");
            if (final == "ERROR")
            {
                await using var c = await h.Database.OpenAsync();
                output.WriteLine("stopped: " + await c.ExecuteScalarAsync<string?>(
                    "SELECT CONCAT_WS(': ', stop_code, stop_reason) FROM campaign_runs WHERE campaign_id = @id", new { id }));
            }

            var afterwards = await TrySyncAsync(sync);
            var w = await PipelineWitness.ReadAsync(h.Database, h.Coufun, id);
            var outageLines = lines.Where(l => l.Contains("Database unreachable", StringComparison.Ordinal)).Count();
            var recoveryLines = lines.Where(l => l.Contains("Database reachable again", StringComparison.Ordinal)).Count();
            FaultSuite.Record(output, "1. MariaDB restarted twice", recipients, w, clock.Elapsed, $"outage log lines {outageLines}/{recoveryLines}");
            foreach (var line in lines.Where(l => l.Contains("Database unreachable", StringComparison.Ordinal) || l.Contains("Database reachable again", StringComparison.Ordinal)))
            {
                output.WriteLine("worker: " + line);
            }

            Assert.Equal("COMPLETED", final);
            w.AssertCommon(recipients);
            Assert.False(worker.HasExited, "the worker process stopped");
            Assert.Equal("SUCCEEDED", afterwards);
            // Once per outage and process: two outages, two lines each way — not one per loop per poll.
            Assert.Equal(2, outageLines);
            Assert.Equal(2, recoveryLines);
            // The worker is the same process throughout: one heartbeat row under its name, never fenced.
            Assert.Equal(1, await FaultSuite.CountAsync(h, "SELECT COUNT(*) FROM worker_heartbeats WHERE instance_name = 'fault-db-w0' AND fenced_at IS NULL", 0));
            Assert.Equal(1, await FaultSuite.CountAsync(h, "SELECT COUNT(*) FROM worker_heartbeats WHERE instance_name = 'fault-db-w0'", 0));
        }
        finally
        {
            await WorkerProcesses.StopAsync(worker);
            // The server may be down if the test failed mid-outage; the instance is the scenario's own, so a failed drop
            // must not hide the test's own failure.
            try
            {
                await MariaDbAsync("start");
                await database.DisposeAsync();
            }
            catch (Exception ex) when (ex is MySqlException or Xunit.Sdk.XunitException)
            {
                output.WriteLine("clean-up: " + ex.Message);
            }

            await MariaDbAsync("stop");
        }
    }

    private static async Task OutageAsync(TimeSpan down, Func<Task>? during)
    {
        await MariaDbAsync("stop");
        MySqlConnection.ClearAllPools();
        var started = Stopwatch.StartNew();
        if (during is not null)
        {
            await during();
        }

        if (started.Elapsed < down)
        {
            await Task.Delay(down - started.Elapsed);
        }

        await MariaDbAsync("start");
    }

    private static async Task<string> TrySyncAsync(CatalogSync sync)
    {
        try
        {
            var run = await sync.RunAsync(CatalogSync.Manual, "fault-suite", CancellationToken.None);
            return run.Value?.Outcome ?? "REFUSED";
        }
        catch (Exception ex) when (ex is MySqlException or InvalidOperationException or IOException)
        {
            return "THREW " + ex.GetType().Name;
        }
    }

    /// <summary>Starts the scenario's own MariaDB (scripts/mariadb, a free port on first use) and returns its server connection string.</summary>
    private static async Task<string> StartServerAsync()
    {
        var env = await MariaDbAsync("start");
        var values = env.Output.Split('\n').Select(l => l.Split('=', 2)).Where(p => p.Length == 2).ToDictionary(p => p[0], p => p[1].Trim());
        return $"Server=127.0.0.1;Port={values["MARIADB_PORT"]};User ID={values["MARIADB_USER"]};Password={values["MARIADB_PASSWORD"]}";
    }

    private static async Task<ExternalCommand.Result> MariaDbAsync(string command)
    {
        var port = FreePorts.Next().ToString(CultureInfo.InvariantCulture);
        return (await ExternalCommand.RunAsync(Path.Combine(RepositoryPaths.Root, "scripts", "mariadb"), [command, "--name", Instance, "--port", port],
            new Dictionary<string, string> { ["COUPONDESK_DB_EXTRA_ARGS"] = "--innodb-buffer-pool-size=64M" })).EnsureSuccess("scripts/mariadb " + command);
    }
}
