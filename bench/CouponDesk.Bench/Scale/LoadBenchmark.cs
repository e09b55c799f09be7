using System.Diagnostics;
using System.Globalization;
using CouponDesk.Bench.Pipeline;
using CouponDesk.Data;
using CouponDesk.Features.Audit;
using CouponDesk.Hosting;
using CouponDesk.Integrations.Snap.SenderNumbers;
using CouponDesk.Security.Pii;
using CouponDesk.TestSupport;
using Dapper;
using Microsoft.Extensions.DependencyInjection;
using MySqlConnector;

namespace CouponDesk.Bench.Scale;

/// <summary>
/// Issue 21 points 1–2: the back office's query endpoints under 100 concurrent users on a year of data (goals per
/// endpoint: p95 ≤ 50 ms, p99 ≤ 200 ms; ≥ 200 requests/s in total; no errors), while a 20,000-recipient campaign is
/// issued and queued by a worker process at the same time. The database is kept between runs (<c>--database</c>):
/// the first run fills it with <see cref="YearOfData"/>, later runs reuse it. The back office (web role) runs in this
/// process on a real Kestrel socket; every virtual user has its own account and session (a real login) and loops
/// without think time over the pages an operator and C/S use. MariaDB's statement digest (when the server runs with
/// <c>--performance-schema=ON</c>) lists the statements that examined the most rows or used no index.
/// Usage: <c>load [--database cdb_year] [--campaigns 120] [--per 20000] [--users 100] [--seconds 60] [--campaign 20000] [--server "…"]</c>.
/// </summary>
public sealed class LoadBenchmark : IBenchmark
{
    private static readonly string[] CreateOnly = ["create"];

    public string Description => "100 users on a year of data (2.4M items) with a 20k campaign running (goal p95 <= 50 ms, p99 <= 200 ms, >= 200 req/s)";

    public async Task<int> RunAsync(string[] args)
    {
        var name = BenchHost.Option(args, "--database") ?? "cdb_year";
        var campaigns = Int(args, "--campaigns", 120);
        var per = Int(args, "--per", 20000);
        var users = Int(args, "--users", 100);
        var seconds = Int(args, "--seconds", 60);
        var running = Int(args, "--campaign", 20000);
        var server = BenchHost.Option(args, "--server") ?? TestEnvironment.ServerConnectionString;
        Console.WriteLine(MachineInfo.Describe());

        var database = new TestDatabase(server, name);
        var scratch = TestSettings.NewScratchDirectory();
        await using var coufun = await CoufunStandInHost.StartAsync();
        await coufun.SetFaultsAsync(new { endpoints = CreateOnly, latencyMinMs = 30, latencyMaxMs = 30 });
        // The tests' settings switch the page caches off; the load runs with production's (D-PERF-2).
        var settings = PipelineBenchmark.Settings(database, scratch, coufun, 16, [.. KeptKeys(name), new("ExchangeRate:CacheSeconds", "60"), new("Dashboard:CacheSeconds", "10")]);
        await using var backOffice = await LoopbackHost.StartAsync(a => CouponDeskHost.Build(a), [new("environment", "Testing"), .. settings]);
        var services = backOffice.Services;
        var connections = services.GetRequiredService<DbConnectionFactory>();
        var year = new YearOfData(connections, services.GetRequiredService<PiiProtector>(), services.GetRequiredService<AuditTrail>());
        var shape = new YearOfData.Shape(campaigns, per, 2000, DateTime.UtcNow);
        IReadOnlyList<YearOfData.Sample> samples;
        await using (var c = await connections.OpenAsync())
        {
            var existing = await c.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM delivery_items");
            if (existing == 0)
            {
                var timer = Stopwatch.StartNew();
                samples = await year.GenerateAsync(shape, line => Console.WriteLine($"  generated {line} after {timer.Elapsed.TotalSeconds:F0} s"));
                Console.WriteLine($"data: {(long)campaigns * per:N0} items generated in {timer.Elapsed.TotalSeconds:F0} s into `{name}` (kept for the next run)");
            }
            else if (existing < (long)campaigns * per)
            {
                Console.WriteLine($"`{name}` holds {existing:N0} items, fewer than {(long)campaigns * per:N0}: an interrupted generation? Drop it (DROP DATABASE `{name}`) and run again.");
                return 2;
            }
            else
            {
                samples = YearOfData.Samples(shape);
                Console.WriteLine($"data: reusing `{name}` with {existing:N0} delivery items");
            }

            await services.GetRequiredService<SenderNumberRegistry>().EnsureRegisteredAsync(c, PipelineCampaigns.Callback, "bench", CancellationToken.None);
        }

        var campaignIds = samples.Select(s => s.CampaignId).Distinct().ToArray();
        using var driver = new LoadDriver(backOffice.BaseAddress, samples, campaignIds);
        await driver.SignInAsync(connections, users);
        Console.WriteLine($"{users} users signed in; warming up");
        await driver.RunAsync(Math.Min(users, 10), TimeSpan.FromSeconds(10));

        System.Diagnostics.Process? worker = null;
        long workerCampaign = 0;
        if (running > 0)
        {
            workerCampaign = await PipelineCampaigns.ScheduleAsync(connections, services.GetRequiredService<PiiProtector>(), running, sendAtUtc: DateTime.UtcNow.AddHours(2));
            worker = PipelineBenchmark.StartWorker(settings);
        }

        var digest = await StatementDigest.StartAsync(server);
        var dbPid = await ProcessStats.DatabaseServerPidAsync(database);
        var dbCpu = dbPid is { } p0 ? ProcessStats.CpuSeconds(p0) : 0;
        var benchCpu = Process.GetCurrentProcess().TotalProcessorTime.TotalSeconds;
        Console.WriteLine($"load average before: {ProcessStats.LoadAverage()}; {users} users for {seconds} s{(running > 0 ? $", a {running:N0}-recipient campaign issuing" : "")}");
        var result = await driver.RunAsync(users, TimeSpan.FromSeconds(seconds));
        var workerCpu = worker is null ? 0 : ProcessStats.CpuSeconds(worker.Id);
        dbCpu = dbPid is { } p1 ? ProcessStats.CpuSeconds(p1) - dbCpu : double.NaN;
        benchCpu = Process.GetCurrentProcess().TotalProcessorTime.TotalSeconds - benchCpu;
        Console.WriteLine($"load average after: {ProcessStats.LoadAverage()}");
        if (worker is not null)
        {
            // The campaign is left to finish queueing (its send time is two hours away, so nothing is sent): a later
            // run of this benchmark then starts from a quiet worker queue instead of inheriting half a campaign.
            await using var c = await connections.OpenAsync();
            var queued = await QueuedAsync(c, workerCampaign);
            Console.WriteLine($"the running campaign queued {queued:N0} of {running:N0} during the load; worker CPU {workerCpu:F1} s");
            for (var wait = Stopwatch.StartNew(); queued < running && wait.Elapsed < TimeSpan.FromMinutes(5); queued = await QueuedAsync(c, workerCampaign))
            {
                await Task.Delay(500);
            }

            Console.WriteLine($"the running campaign queued {queued:N0} of {running:N0} in all");
            worker.Kill();
            await worker.WaitForExitAsync();
        }

        Console.WriteLine($"CPU during the load: back office + driver + stand-in {benchCpu:F1} s, MariaDB {dbCpu:F1} s, worker {workerCpu:F1} s of {seconds * Environment.ProcessorCount} s");
        var pass = result.Print();
        await digest.PrintAsync(per);
        Directory.Delete(scratch, recursive: true);
        return pass ? 0 : 1;
    }

    /// <summary>
    /// The kept database's data keys (PII encryption, blind index, audit chain) in <c>.local/&lt;database&gt;.keys</c>:
    /// random on the first run, the same on later runs, so the kept data still decrypts. Benchmark data only.
    /// </summary>
    internal static List<KeyValuePair<string, string?>> KeptKeys(string database)
    {
        var file = Path.Combine(BackOfficeProcess.RepositoryRoot(), ".local", database + ".keys");
        if (!File.Exists(file))
        {
            Directory.CreateDirectory(Path.GetDirectoryName(file)!);
            File.WriteAllLines(file, Enumerable.Range(0, 3).Select(_ => Convert.ToBase64String(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32))));
        }

        var keys = File.ReadAllLines(file);
        return [new("Security:Pii:Keys:1", keys[0]), new("Security:Pii:BlindIndexKey", keys[1]), new("Security:Audit:ChainKey", keys[2])];
    }

    private static Task<int> QueuedAsync(MySqlConnection c, long campaignId) =>
        c.ExecuteScalarAsync<int>("SELECT COUNT(*) FROM delivery_items WHERE campaign_id = @campaignId AND status = 'QUEUED'", new { campaignId });

    private static int Int(string[] args, string name, int fallback) =>
        int.Parse(BenchHost.Option(args, name) ?? fallback.ToString(CultureInfo.InvariantCulture), CultureInfo.InvariantCulture);
}
