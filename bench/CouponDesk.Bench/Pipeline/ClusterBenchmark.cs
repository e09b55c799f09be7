using System.Diagnostics;
using System.Globalization;
using CouponDesk.Hosting;
using CouponDesk.Integrations.Snap.SenderNumbers;
using CouponDesk.Security.Pii;
using CouponDesk.TestSupport;
using Dapper;
using Microsoft.Extensions.DependencyInjection;

namespace CouponDesk.Bench.Pipeline;

/// <summary>
/// The pipeline benchmark's campaign (N recipients, SCHEDULED to all QUEUED, COUFUN stand-in answering after 30 ms, send
/// time 2 h ahead) on the single instance and on the three-node Galera cluster, in one run (issue 20):
/// <list type="number">
/// <item><c>single</c>: one worker process on the single MariaDB (COUPONDESK_TEST_DB), as <c>pipeline</c> does;</item>
/// <item><c>cluster-1</c>: one worker on node 2 of the cluster (the cost of synchronous replication alone);</item>
/// <item><c>cluster-2</c>: two workers, on nodes 2 and 3 (the scale-out layout: their claims meet in certification).</item>
/// </list>
/// Each prints the time from the campaign's start to the last message queued, the conflicts the workers retried (read
/// from their readiness check), and the CPU the workers, the database server(s) and this process used.
/// Usage: <c>pipeline-cluster [--count 20000] [--concurrency 16] [--scenarios single,cluster-1,cluster-2]</c> with
/// COUPONDESK_TEST_DB and the cluster's COUPONDESK_TEST_GALERA_PORTS / COUPONDESK_TEST_GALERA_DB set (scripts/test sets both;
/// by hand: <c>eval "$(scripts/galera env --name test-galera)"</c>, see docs/benchmarks.md).
/// </summary>
public sealed class ClusterBenchmark : IBenchmark
{
    private const int LatencyMs = 30;
    private static readonly string[] CreateOnly = ["create"];

    public string Description => "the pipeline campaign on the single instance and on the 3-node Galera cluster (1 and 2 workers): time to queue, conflicts, CPU";

    public async Task<int> RunAsync(string[] args)
    {
        var count = int.Parse(PipelineBenchmark.Option(args, "--count") ?? "20000", CultureInfo.InvariantCulture);
        var concurrency = int.Parse(PipelineBenchmark.Option(args, "--concurrency") ?? "16", CultureInfo.InvariantCulture);
        var scenarios = (PipelineBenchmark.Option(args, "--scenarios") ?? "single,cluster-1,cluster-2").Split(',');
        var cluster = GaleraCluster.FromEnvironment();
        if (cluster is null && scenarios.Any(s => s.StartsWith("cluster", StringComparison.Ordinal)))
        {
            Console.WriteLine(GaleraCluster.SkipReason);
            return 2;
        }

        Console.WriteLine(MachineInfo.Describe());
        Console.WriteLine($"worker build: {PipelineBenchmark.BuiltConfiguration()}; {count:N0} recipients; issue concurrency {concurrency}; COUFUN latency {LatencyMs} ms");
        await using var coufun = await CoufunStandInHost.StartAsync();
        await coufun.SetFaultsAsync(new { endpoints = CreateOnly, latencyMinMs = LatencyMs, latencyMaxMs = LatencyMs });
        var results = new List<string>();
        foreach (var scenario in scenarios)
        {
            var (server, workerNodes) = scenario switch
            {
                "single" => (TestEnvironment.ServerConnectionString, new string?[] { null }),
                "cluster-1" => (cluster!.Node(1), new string?[] { cluster.Node(2) }),
                "cluster-2" => (cluster!.Node(1), [cluster.Node(2), cluster.Node(3)]),
                _ => throw new ArgumentException($"unknown scenario {scenario}"),
            };
            var databaseServers = scenario == "single" ? [server] : cluster!.Ports.Select((_, i) => cluster.Node(i + 1)).ToArray();
            results.Add(await RunScenarioAsync(scenario, coufun, server, databaseServers, workerNodes, count, concurrency));
        }

        Console.WriteLine();
        Console.WriteLine("| Scenario | Time to all queued | Conflicts retried / given up | CPU: workers + database + bench = total (share of the cores) |");
        Console.WriteLine("| --- | --- | --- | --- |");
        results.ForEach(Console.WriteLine);
        return 0;
    }

    private static async Task<string> RunScenarioAsync(
        string label, CoufunStandInHost coufun, string server, string[] databaseServers, string?[] workerServers, int count, int concurrency)
    {
        Console.WriteLine();
        Console.WriteLine($"== {label}: {workerServers.Length} worker(s); load average before: {ProcessStats.LoadAverage()}");
        var database = new TestDatabase(server);
        await database.MigrateAsync();
        var scratch = TestSettings.NewScratchDirectory();
        var workers = new List<BackOfficeProcess>();
        try
        {
            var settings = PipelineBenchmark.Settings(database, scratch, coufun, concurrency, [new("Serilog:MinimumLevel:Default", "Error")]);
            long campaignId;
            await using (var backOffice = await LoopbackHost.StartAsync(a => CouponDeskHost.Build(a), [new("environment", "Testing"), .. settings]))
            {
                await using (var c = await database.OpenAsync())
                {
                    await backOffice.Services.GetRequiredService<SenderNumberRegistry>().EnsureRegisteredAsync(c, PipelineCampaigns.Callback, "bench", CancellationToken.None);
                }

                campaignId = await PipelineCampaigns.ScheduleAsync(database.Connections, backOffice.Services.GetRequiredService<PiiProtector>(), count, sendAtUtc: DateTime.UtcNow.AddHours(2));
            }

            var databasePids = new List<int>();
            foreach (var s in databaseServers)
            {
                if (await ProcessStats.ServerPidAsync(s) is { } pid)
                {
                    databasePids.Add(pid);
                }
            }

            var databaseCpuBefore = databasePids.Sum(ProcessStats.CpuSeconds);
            var benchCpuBefore = Process.GetCurrentProcess().TotalProcessorTime.TotalSeconds;
            var timer = Stopwatch.StartNew();
            foreach (var workerServer in workerServers)
            {
                var workerSettings = workerServer is null ? settings : [.. settings, new("Database:ConnectionString", database.ConnectionStringOn(workerServer))];
                workers.Add(BackOfficeProcess.Start(workerSettings, "worker", PipelineBenchmark.BuiltConfiguration()));
            }

            var queued = 0;
            await using var db = await database.OpenAsync();
            while (timer.Elapsed < TimeSpan.FromMinutes(20) && workers.All(w => !w.Process.HasExited))
            {
                queued = await db.ExecuteScalarAsync<int>("SELECT COUNT(*) FROM delivery_items WHERE campaign_id = @campaignId AND status = 'QUEUED'", new { campaignId });
                if (queued == count)
                {
                    break;
                }

                await Task.Delay(500);
            }

            timer.Stop();
            var conflicts = await Task.WhenAll(workers.Select(w => w.ConflictsAsync()));
            var workerCpu = workers.Sum(w => ProcessStats.CpuSeconds(w.Process.Id));
            var databaseCpu = databasePids.Sum(ProcessStats.CpuSeconds) - databaseCpuBefore;
            var benchCpu = Process.GetCurrentProcess().TotalProcessorTime.TotalSeconds - benchCpuBefore;
            (DateTime Started, DateTime? Queued) run = default;
            for (var i = 0; i < 50 && run.Queued is null; i++)
            {
                run = await db.QuerySingleAsync<(DateTime, DateTime?)>("SELECT started_at, all_queued_at FROM campaign_runs WHERE campaign_id = @campaignId", new { campaignId });
                await Task.Delay(run.Queued is null ? 100 : 0);
            }

            var elapsed = timer.Elapsed.TotalSeconds;
            var measured = run.Queued is { } q ? (q - run.Started).TotalSeconds : elapsed;
            var retried = conflicts.Sum(c => c?.Retried ?? 0);
            var givenUp = conflicts.Sum(c => c?.GivenUp ?? 0);
            var total = workerCpu + databaseCpu + benchCpu;
            var cores = Environment.ProcessorCount;
            Console.WriteLine($"queued {queued:N0} of {count:N0} in {measured:F1} s from the campaign's start ({elapsed:F1} s from the workers' start)");
            Console.WriteLine($"conflicts retried {retried:N0}, given up {givenUp:N0} (per worker: {string.Join(", ", conflicts.Select(c => c is { } x ? $"{x.Retried}/{x.GivenUp}" : "no answer"))})");
            Console.WriteLine($"CPU: workers {workerCpu:F1} s + database {databaseCpu:F1} s ({databasePids.Count} server process(es)) + bench {benchCpu:F1} s = {total:F1} s of {elapsed * cores:F1} s ({total / (elapsed * cores):P0} of {cores} cores)");
            Console.WriteLine($"load average after: {ProcessStats.LoadAverage()}");
            return string.Create(CultureInfo.InvariantCulture,
                $"| {label} ({workerServers.Length} worker{(workerServers.Length > 1 ? "s" : "")}) | {(queued == count ? "" : $"only {queued:N0} of {count:N0} queued after ")}{measured:F1} s | {retried:N0} / {givenUp:N0} | {workerCpu:F0} + {databaseCpu:F0} + {benchCpu:F0} = {total:F0} s ({total / (elapsed * cores):P0}) |");
        }
        finally
        {
            foreach (var worker in workers)
            {
                await worker.DisposeAsync();
            }

            await database.DisposeAsync();
            if (Directory.Exists(scratch))
            {
                Directory.Delete(scratch, recursive: true);
            }
        }
    }
}
