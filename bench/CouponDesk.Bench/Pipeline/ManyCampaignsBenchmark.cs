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
/// Issue 21 point 3: three 20,000-recipient campaigns started together (60,000 recipients) on one worker process, against
/// the COUFUN stand-in (30 ms answers), send time in the future. Goals: all queued exactly once (one coupon, one message
/// and one UMS_MSG row per recipient, no CLIENT_KEY twice), the worker's peak memory ≤ 400 MB, and the time ≤ 3 × the
/// single run's (<c>pipeline</c>; this benchmark prints its own time, compare with the recorded single run). CPU per
/// recipient is summed over the worker, MariaDB and this process (stand-in, polling), as the pipeline benchmark does.
/// Usage: <c>pipeline-many [--campaigns 3] [--count 20000] [--concurrency 16]</c> with COUPONDESK_TEST_DB set.
/// </summary>
public sealed class ManyCampaignsBenchmark : IBenchmark
{
    private static readonly string[] CreateOnly = ["create"];

    public string Description => "three 20,000-recipient campaigns at once (goal: exactly once, <= 400 MB, <= 3 x the single run)";

    public async Task<int> RunAsync(string[] args)
    {
        var campaigns = int.Parse(BenchHost.Option(args, "--campaigns") ?? "3", CultureInfo.InvariantCulture);
        var count = int.Parse(BenchHost.Option(args, "--count") ?? "20000", CultureInfo.InvariantCulture);
        var concurrency = int.Parse(BenchHost.Option(args, "--concurrency") ?? "16", CultureInfo.InvariantCulture);
        var total = campaigns * count;
        Console.WriteLine(MachineInfo.Describe());
        await using var coufun = await CoufunStandInHost.StartAsync();
        await coufun.SetFaultsAsync(new { endpoints = CreateOnly, latencyMinMs = 30, latencyMaxMs = 30 });
        var database = new TestDatabase();
        await database.MigrateAsync();
        var scratch = TestSettings.NewScratchDirectory();
        try
        {
            var settings = PipelineBenchmark.Settings(database, scratch, coufun, concurrency, []);
            var ids = new List<long>();
            await using (var backOffice = await LoopbackHost.StartAsync(a => CouponDeskHost.Build(a), [new("environment", "Testing"), .. settings]))
            {
                await using var c = await database.OpenAsync();
                await backOffice.Services.GetRequiredService<SenderNumberRegistry>().EnsureRegisteredAsync(c, PipelineCampaigns.Callback, "bench", CancellationToken.None);
                var pii = backOffice.Services.GetRequiredService<PiiProtector>();
                for (var i = 0; i < campaigns; i++)
                {
                    // Distinct phones per campaign, all in the test block (010-0000-0001…).
                    ids.Add(await PipelineCampaigns.ScheduleAsync(database.Connections, pii, count, firstPhone: (i * count) + 1, sendAtUtc: DateTime.UtcNow.AddHours(2)));
                }
            }

            Console.WriteLine($"load average before: {ProcessStats.LoadAverage()}; {campaigns} campaigns x {count:N0} = {total:N0} recipients");
            var databasePid = await ProcessStats.DatabaseServerPidAsync(database);
            var databaseCpuBefore = databasePid is { } p0 ? ProcessStats.CpuSeconds(p0) : 0;
            var benchCpuBefore = Process.GetCurrentProcess().TotalProcessorTime.TotalSeconds;
            var worker = PipelineBenchmark.StartWorker(settings);
            var timer = Stopwatch.StartNew();
            long peakKb = 0;
            var queued = 0;
            await using (var c = await database.OpenAsync())
            {
                while (timer.Elapsed < TimeSpan.FromMinutes(20) && !worker.HasExited && queued < total)
                {
                    peakKb = Math.Max(peakKb, ProcessStats.PeakKb(worker.Id));
                    queued = await c.ExecuteScalarAsync<int>("SELECT COUNT(*) FROM delivery_items WHERE campaign_id IN @ids AND status = 'QUEUED'", new { ids });
                    await Task.Delay(queued < total ? 500 : 0);
                }

                timer.Stop();
                peakKb = Math.Max(peakKb, ProcessStats.PeakKb(worker.Id));
                var workerCpu = ProcessStats.CpuSeconds(worker.Id);
                var databaseCpu = databasePid is { } p1 ? ProcessStats.CpuSeconds(p1) - databaseCpuBefore : double.NaN;
                var benchCpu = Process.GetCurrentProcess().TotalProcessorTime.TotalSeconds - benchCpuBefore;
                worker.Kill();
                await worker.WaitForExitAsync();
                Console.WriteLine($"load average after: {ProcessStats.LoadAverage()}");

                var span = await c.QuerySingleAsync<(DateTime First, DateTime? Last, int Unfinished)>(
                    "SELECT MIN(started_at), MAX(all_queued_at), CAST(SUM(all_queued_at IS NULL) AS SIGNED) FROM campaign_runs WHERE campaign_id IN @ids", new { ids });
                var measured = span is { Unfinished: 0, Last: { } last } ? (last - span.First).TotalSeconds : timer.Elapsed.TotalSeconds;
                var once = await c.QuerySingleAsync<(long Items, long Coupons, long Messages, long AgentRows, long ClientKeys)>(
                    """
                    SELECT (SELECT COUNT(*) FROM delivery_items WHERE campaign_id IN @ids),
                           (SELECT COUNT(DISTINCT coupon_id) FROM delivery_items WHERE campaign_id IN @ids AND coupon_id IS NOT NULL),
                           (SELECT COUNT(*) FROM messages WHERE campaign_id IN @ids),
                           (SELECT COUNT(*) FROM UMS_MSG),
                           (SELECT COUNT(DISTINCT CLIENT_KEY) FROM UMS_MSG)
                    """, new { ids });
                var exactlyOnce = once.Items == total && once.Coupons == total && once.Messages == total && once.AgentRows == total && once.ClientKeys == total;
                Console.WriteLine($"queued {queued:N0} of {total:N0} in {measured:F1} s from the first campaign's start to the last one all queued ({timer.Elapsed.TotalSeconds:F1} s from the worker process's start)");
                Console.WriteLine($"exactly once: {once.Items:N0} items, {once.Coupons:N0} distinct coupons, {once.Messages:N0} messages, {once.AgentRows:N0} UMS_MSG rows with {once.ClientKeys:N0} distinct CLIENT_KEYs -> {(exactlyOnce ? "PASS" : "MISS")}");
                var totalCpu = workerCpu + databaseCpu + benchCpu;
                Console.WriteLine($"CPU: worker {workerCpu:F1} s + MariaDB {databaseCpu:F1} s + bench process (stand-in, polling) {benchCpu:F1} s = {totalCpu:F1} s = {totalCpu * 1000 / total:F2} ms per recipient; CPU floor ratio {totalCpu / Environment.ProcessorCount / timer.Elapsed.TotalSeconds:F2}");
                Console.WriteLine($"worker peak memory: {peakKb / 1024.0:F0} MB (goal <= 400 MB)");
                Console.WriteLine($"compare: {measured:F1} s against 3 x the single run's time (the `pipeline` benchmark on the same machine)");
                return exactlyOnce && queued == total && peakKb <= 400 * 1024 ? 0 : 1;
            }
        }
        finally
        {
            await database.DisposeAsync();
            if (Directory.Exists(scratch))
            {
                Directory.Delete(scratch, recursive: true);
            }
        }
    }
}
