using System.Collections.Concurrent;
using System.Globalization;
using CouponDesk.Features.Audit;
using CouponDesk.Features.Pipeline;
using CouponDesk.Tests.Pipeline;
using CouponDesk.TestSupport;
using Dapper;
using Microsoft.Extensions.DependencyInjection;
using MySqlConnector;
using Xunit.Abstractions;

namespace CouponDesk.Tests.Galera;

/// <summary>
/// The pipeline's exactly-once checks on a three-node Galera cluster (issue 20). The back office (web) and the SNAP
/// stand-in use node 1; two worker processes (roles worker and jobs) use nodes 2 and 3, so their row locks never see
/// each other and every overlapping claim is settled by certification (error 1213, run again whole). Node 3 is killed
/// in the middle of the campaign and started again; it rejoins by incremental state transfer. Afterwards: every
/// recipient has one coupon and one message in the agent's tables, no TR_ID or CLIENT_KEY twice, every coupon bought
/// beyond that is an in-doubt order in the report, the workers counted conflicts they retried, the restarted node holds
/// the same rows as node 1, and every firing of the clustered Quartz jobs ran once.
/// Size: COUPONDESK_TEST_GALERA_RECIPIENTS (scripts/test: 1,000; the issue's 5,000 with scripts/test --galera-full).
/// </summary>
public sealed class GaleraPipelineTests(ITestOutputHelper output)
{
    private static readonly string[] Settled = ["COMPLETED", "PARTIALLY_FAILED", "FAILED", "ERROR", "CANCELLED"];

    [GaleraFact]
    [Trait("Category", "Galera")]
    public async Task Two_workers_on_two_nodes_serve_every_recipient_exactly_once_while_a_node_is_killed_and_restarted()
    {
        var cluster = GaleraCluster.FromEnvironment()!;
        var recipients = int.Parse(Environment.GetEnvironmentVariable("COUPONDESK_TEST_GALERA_RECIPIENTS") ?? "1000", CultureInfo.InvariantCulture);
        var database = new TestDatabase(cluster.Node(1));
        try
        {
            await RunAsync(cluster, database, recipients);
        }
        finally
        {
            await database.DisposeAsync();
        }
    }

    private async Task RunAsync(GaleraCluster cluster, TestDatabase database, int recipients)
    {
        await using var h = await PipelineHarness.StartAsync(database, "web");
        await h.Coufun.SetFaultsAsync(new { endpoints = new[] { "create" }, latencyMinMs = 20, latencyMaxMs = 80 });
        var id = await h.ScheduleCampaignAsync(recipients);
        var started = DateTime.UtcNow;
        // The workers' warnings and errors (retries, a node that went away), printed at the end to explain a slow tail.
        var log = new ConcurrentQueue<string>();
        var processes = new ConcurrentQueue<BackOfficeProcess>();
        try
        {
            var workers = await Task.WhenAll(StartLiveWorkerAsync(h, cluster, 2, log, processes), StartLiveWorkerAsync(h, cluster, 3, log, processes));
            // Kill node 3 (worker B's) once a fifth of the campaign is queued: claims, outcomes and queue transactions
            // are in flight on it. Worker B fails until its node is back; worker A and the leases carry on.
            await WaitForQueuedAsync(h, id, recipients / 5, TimeSpan.FromMinutes(15));
            var killedAt = DateTime.UtcNow;
            await cluster.KillAsync(3);
            output.WriteLine($"node 3 killed after {(DateTime.UtcNow - started).TotalSeconds:F0} s: {await ProgressAsync(h, id)}");
            await Task.Delay(TimeSpan.FromSeconds(8));
            await cluster.RestartAsync(3);
            var syncedAt = DateTime.UtcNow;
            output.WriteLine($"node 3 synced again after {(DateTime.UtcNow - started).TotalSeconds:F0} s: {await ProgressAsync(h, id)}");

            var final = await h.WaitForAsync(id, 900, Settled);
            for (var resumes = 0; final == "ERROR" && resumes < 3; resumes++)
            {
                await ResumeAsync(h, id);
                final = await h.WaitForAsync(id, 600, Settled);
            }

            output.WriteLine($"campaign {final} after {(DateTime.UtcNow - started).TotalSeconds:F0} s");
            var conflicts = await Task.WhenAll(workers.Select(w => w.ConflictsAsync()));
            output.WriteLine($"conflicts retried / given up per worker: {string.Join(", ", conflicts.Select(c => c is { } x ? $"{x.Retried} / {x.GivenUp}" : "no answer"))}");

            var w = await PipelineWitness.ReadAsync(h.Database, h.Coufun, id);
            output.WriteLine($"witness: {w}");
            Assert.Equal("COMPLETED", final);
            Assert.Equal(recipients, w.Items);
            Assert.Equal(0, w.ItemsWithoutFinalState);
            Assert.Equal(recipients, w.SentItems);
            Assert.Equal(0, w.RecipientsNeverDelivered);
            Assert.Equal(0, w.RecipientsDeliveredTwice);
            Assert.Equal(recipients, w.CouponsStored);
            Assert.Equal(0, w.StoredCouponsHeldByNobody);
            // Every coupon COUFUN created is held by exactly one recipient or explained by an in-doubt order.
            Assert.Equal(w.CouponsBoughtAtCoufun, w.CouponsBoughtForSucceededOrders + w.CouponsBoughtForInDoubtOrders);
            Assert.Equal(recipients, w.CouponsBoughtForSucceededOrders);

            var keys = await KeysAsync(h, id);
            output.WriteLine($"keys: {keys}");
            Assert.Equal(0, keys.DuplicateTrIds);
            Assert.Equal(recipients, keys.Messages);
            Assert.Equal(recipients, keys.DistinctClientKeys);
            Assert.Equal(recipients, keys.AgentRows);
            Assert.Equal(recipients, keys.DistinctAgentKeys);

            // The conflict path ran: the workers' certification conflicts were retried and counted.
            Assert.True(conflicts.Sum(c => c?.Retried ?? 0) > 0, "no conflict was retried");

            // The restarted node caught up: it holds what node 1 holds.
            Assert.Equal(await FingerprintAsync(h.Database.ConnectionString, id), await FingerprintAsync(h.Database.ConnectionStringOn(cluster.Node(3)), id));

            // Clustered Quartz jobs: two jobs processes, every firing ran once — but around the kill. The surviving
            // scheduler declares the one whose node is gone dead after the check-in interval (15 s) and releases the
            // triggers it held, so a firing of that window may run twice (seen once in CI). Quartz's recovery is
            // at-least-once there, and every job is safe to run twice (D-OPS-8).
            var firings = await FiringsAsync(h);
            var twice = await FiredTwiceAsync(h);
            output.WriteLine($"job firings: {firings.Total} ({firings.ResultSync} result-sync), by {firings.Instances} scheduler instances; " +
                $"firings run twice: {twice.Count} ({string.Join(", ", twice.Select(t => $"{t.JobKey} at {(t.ScheduledAt - killedAt).TotalSeconds:F0} s from the kill"))})");
            Assert.True(firings.ResultSync >= 3, $"the result-sync job fired {firings.ResultSync} times");
            Assert.All(twice, t => Assert.InRange(t.ScheduledAt, killedAt.AddSeconds(-20), syncedAt.AddSeconds(20)));
        }
        finally
        {
            foreach (var worker in processes)
            {
                await worker.DisposeAsync();
            }

            output.WriteLine($"worker log (warnings and errors, last 80 of {log.Count}):");
            foreach (var line in log.TakeLast(80))
            {
                output.WriteLine(line.Length <= 600 ? line : line[..600]);
            }
        }
    }

    /// <summary>
    /// Starts a worker and waits until it is live; one that stops while starting is started again after 5 s, at most
    /// twice — what its systemd unit does (Restart=on-failure, RestartSec=5, deploy/systemd). Two jobs processes starting
    /// together on two nodes both write Quartz's schedule (its lock row does not serialise across nodes): one start-up
    /// fails (a duplicate key, or a commit that timed out) and the process stops, as a start-up failure does (D-OPS-14).
    /// </summary>
    private async Task<BackOfficeProcess> StartLiveWorkerAsync(PipelineHarness h, GaleraCluster cluster, int node, ConcurrentQueue<string> log, ConcurrentQueue<BackOfficeProcess> processes)
    {
        for (var attempt = 1; ; attempt++)
        {
            var worker = StartWorker(h, cluster, node, log);
            processes.Enqueue(worker);
            try
            {
                await worker.WaitUntilLiveAsync(TimeSpan.FromMinutes(3));
                return worker;
            }
            catch (InvalidOperationException ex) when (attempt < 3 && worker.Process.HasExited)
            {
                output.WriteLine($"node {node}: the worker stopped while starting ({ex.Message}); started again after 5 s as its unit would");
                await Task.Delay(TimeSpan.FromSeconds(5));
            }
        }
    }

    private static BackOfficeProcess StartWorker(PipelineHarness h, GaleraCluster cluster, int node, ConcurrentQueue<string> log) => BackOfficeProcess.Start(
    [
        .. TestSettings.BackOffice(h.Database, h.Scratch),
        .. PipelineHarness.PipelineSettings(h.Coufun.BaseUrl),
        new("Database:ConnectionString", h.Database.ConnectionStringOn(cluster.Node(node))),
        new("Serilog:MinimumLevel:Default", "Warning"),
        // Node 3's claims are taken over after the lease when it dies; the call timeout stays below it (generous: on
        // the shared 2-core machine a call can take seconds, and every timeout makes an in-doubt order).
        new("Coufun:RequestTimeoutSeconds", "10"),
        new("Pipeline:LeaseSeconds", "25"),
        // A node killed mid-outcome can make in-doubt orders; the spending guard must not stop the run for them.
        new("Pipeline:SpendingMarginPercent", "100"),
        new("Pipeline:QueueBatchSize", "50"),
        new("Pipeline:RenderParallelism", "1"),
        new("Pipeline:IssueConcurrency", "3"),
        // The clustered result-sync job fires every 5 s in both jobs processes' shared schedule.
        new("Snap:ResultSyncSeconds", "5"),
    ], "worker,jobs", output: line => log.Enqueue($"node {node}: {line}"));

    /// <summary>
    /// A stop the pipeline makes to protect itself (failure threshold, spending guard after in-doubt orders on a loaded
    /// machine) waits for a person: resume as one would. The witnesses must hold whatever happened.
    /// </summary>
    private async Task ResumeAsync(PipelineHarness h, long id)
    {
        await using (var c = await h.Database.OpenAsync())
        {
            output.WriteLine($"stopped ({await c.ExecuteScalarAsync<string?>("SELECT CONCAT_WS(': ', stop_code, stop_reason) FROM campaign_runs WHERE campaign_id = @id", new { id })}); resuming as an operator would");
        }

        await h.BackOffice.Services.GetRequiredService<PipelineControl>().ResumeAsync(id, new AuditActor(null, "galera-test", "127.0.0.1", null, null), CancellationToken.None);
    }

    private async Task WaitForQueuedAsync(PipelineHarness h, long id, int queued, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        await using var c = await h.Database.OpenAsync();
        while (await c.ExecuteScalarAsync<int>("SELECT COUNT(*) FROM delivery_items WHERE campaign_id = @id AND message_id IS NOT NULL", new { id }) < queued)
        {
            if (await h.StatusAsync(id) == "ERROR")
            {
                await ResumeAsync(h, id);
            }

            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"fewer than {queued} items queued after {timeout.TotalMinutes:F0} min: {await ProgressAsync(h, id)}");
            }

            await Task.Delay(250);
        }
    }

    private static async Task<string> ProgressAsync(PipelineHarness h, long id)
    {
        await using var c = await h.Database.OpenAsync();
        var counts = await c.QueryAsync<(string Status, int Count)>("SELECT status, COUNT(*) FROM delivery_items WHERE campaign_id = @id GROUP BY status", new { id });
        return string.Join(", ", counts.Select(x => $"{x.Status}={x.Count}"));
    }

    private sealed record Keys(int DuplicateTrIds, int Messages, int DistinctClientKeys, int AgentRows, int DistinctAgentKeys);

    /// <summary>TR_IDs, our messages and the agent's rows (send table and every month table) of the campaign.</summary>
    private static async Task<Keys> KeysAsync(PipelineHarness h, long id)
    {
        await using var c = await h.Database.OpenAsync();
        var duplicateTrIds = await c.ExecuteScalarAsync<int>("SELECT COUNT(*) - COUNT(DISTINCT tr_id) FROM issuance_orders WHERE campaign_id = @id", new { id });
        var (messages, distinct) = await c.QuerySingleAsync<(int, int)>("SELECT COUNT(*), COUNT(DISTINCT client_key) FROM messages WHERE campaign_id = @id", new { id });
        var tables = (await c.QueryAsync<string>("SELECT TABLE_NAME FROM information_schema.TABLES WHERE TABLE_SCHEMA = DATABASE() AND (TABLE_NAME = 'UMS_MSG' OR TABLE_NAME LIKE 'UMS\\_LOG\\_%')")).ToList();
        var union = string.Join(" UNION ALL ", tables.Select(t => $"SELECT CLIENT_KEY FROM `{t}`"));
        var (rows, distinctRows) = await c.QuerySingleAsync<(int, int)>(
            $"SELECT COUNT(*), COUNT(DISTINCT a.CLIENT_KEY) FROM ({union}) a JOIN messages m ON m.client_key = a.CLIENT_KEY COLLATE utf8mb4_unicode_ci WHERE m.campaign_id = @id",
            new { id });
        return new Keys(duplicateTrIds, messages, distinct, rows, distinctRows);
    }

    /// <summary>Counts that must be equal on every node once the cluster is synced (the read waits for that: wsrep_sync_wait).</summary>
    private static async Task<string> FingerprintAsync(string connectionString, long id)
    {
        await using var c = new MySqlConnection(connectionString);
        await c.OpenAsync();
        await c.ExecuteAsync("SET SESSION wsrep_sync_wait = 1");
        var items = await c.QueryAsync<string>("SELECT CONCAT(status, '=', COUNT(*)) FROM delivery_items WHERE campaign_id = @id GROUP BY status ORDER BY status", new { id });
        var orders = await c.QueryAsync<string>("SELECT CONCAT(status, '=', COUNT(*)) FROM issuance_orders WHERE campaign_id = @id GROUP BY status ORDER BY status", new { id });
        var coupons = await c.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM coupons WHERE order_ref IN (SELECT id FROM issuance_orders WHERE campaign_id = @id)", new { id });
        var messages = await c.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM messages WHERE campaign_id = @id", new { id });
        return $"items {string.Join(",", items)}; orders {string.Join(",", orders)}; coupons {coupons}; messages {messages}";
    }

    private sealed record Firings(long Total, long ResultSync, long Instances);

    private sealed record FiredTwice(string JobKey, DateTime ScheduledAt);

    /// <summary>Firings recorded twice: the same job and scheduled fire time in two <c>job_runs</c> rows.</summary>
    private static async Task<List<FiredTwice>> FiredTwiceAsync(PipelineHarness h)
    {
        await using var c = await h.Database.OpenAsync();
        return [.. await c.QueryAsync<FiredTwice>(
            "SELECT job_key AS JobKey, scheduled_at AS ScheduledAt FROM job_runs WHERE scheduled_at IS NOT NULL GROUP BY job_key, scheduled_at HAVING COUNT(*) > 1")];
    }

    private static async Task<Firings> FiringsAsync(PipelineHarness h)
    {
        await using var c = await h.Database.OpenAsync();
        return await c.QuerySingleAsync<Firings>(
            """
            SELECT CAST(COUNT(*) AS SIGNED) AS Total,
                   CAST(COALESCE(SUM(job_key LIKE '%snap-result-sync'), 0) AS SIGNED) AS ResultSync,
                   CAST(COUNT(DISTINCT instance_id) AS SIGNED) AS Instances
            FROM job_runs
            """);
    }
}
