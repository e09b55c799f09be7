using System.Diagnostics;
using System.Globalization;
using CouponDesk.Features.Messages;
using CouponDesk.Features.Pipeline;
using CouponDesk.Features.Rendering;
using CouponDesk.Hosting;
using CouponDesk.Integrations.Snap;
using CouponDesk.Integrations.Snap.SenderNumbers;
using CouponDesk.Security.Pii;
using CouponDesk.TestSupport;
using Dapper;
using Microsoft.Extensions.DependencyInjection;

namespace CouponDesk.Bench.Pipeline;

/// <summary>
/// 20,000 recipients from SCHEDULED to all QUEUED (goals: ≤ 60 s, bound ÷ measured ≥ 0.8, worker peak ≤ 400 MB). The
/// COUFUN stand-in answers after 30 ms; one worker process (the built CouponDesk.dll, roles=worker) does the work; the
/// send time is in the future, so nothing is sent. Bound = the slowest stage measured on its own (the stages overlap):
/// create calls × latency ÷ concurrency; coupons × (decrypt + render + stage the JPEG, ms on one core) ÷ cores; and
/// the hand-off: the real <see cref="SnapMessageWriter"/> queueing pipeline-sized batches (validation, messages +
/// UMS_MSG rows, one transaction each), scaled to the count. The measured time runs from the campaign's start
/// (campaign_runs.started_at, written by the worker) to the last item queued; the time from the worker process's
/// start (runtime start-up, migrations check, first poll) is printed too.
/// Usage: <c>pipeline [--count 20000] [--concurrency 16] [--render-loops 2]</c> with COUPONDESK_TEST_DB set (see scripts/test).
/// </summary>
public sealed class PipelineBenchmark : IBenchmark
{
    private static readonly string[] CreateOnly = ["create"];

    public string Description => "20,000-recipient campaign to all queued against the stand-ins (goal <= 60 s, ratio >= 0.8, <= 400 MB)";

    public async Task<int> RunAsync(string[] args)
    {
        var count = int.Parse(Option(args, "--count") ?? "20000", CultureInfo.InvariantCulture);
        var concurrency = int.Parse(Option(args, "--concurrency") ?? "16", CultureInfo.InvariantCulture);
        var renderLoops = Option(args, "--render-loops");
        const int latencyMs = 30;
        Console.WriteLine(MachineInfo.Describe());
        await using var coufun = await CoufunStandInHost.StartAsync();
        await coufun.SetFaultsAsync(new { endpoints = CreateOnly, latencyMinMs = latencyMs, latencyMaxMs = latencyMs });
        var database = new TestDatabase();
        await database.MigrateAsync();
        var scratch = TestSettings.NewScratchDirectory();
        try
        {
            var settings = Settings(database, scratch, coufun, concurrency, [new("Pipeline:RenderQueueLoops", renderLoops ?? "2")]);
            long campaignId;
            double renderMs;
            double insertSeconds;
            await using (var backOffice = await LoopbackHost.StartAsync(a => CouponDeskHost.Build(a), [new("environment", "Testing"), .. settings]))
            {
                await using (var c = await database.OpenAsync())
                {
                    await backOffice.Services.GetRequiredService<SenderNumberRegistry>().EnsureRegisteredAsync(c, PipelineCampaigns.Callback, "bench", CancellationToken.None);
                }

                var services = backOffice.Services;
                var (ms, staged) = await MeasureRenderMsAsync(services.GetRequiredService<CouponRenderer>(), services.GetRequiredService<SnapImageStager>(), services.GetRequiredService<PiiProtector>());
                renderMs = ms;
                insertSeconds = await MeasureHandOffSecondsAsync(database, services.GetRequiredService<SnapMessageWriter>(), staged, services.GetRequiredService<PipelineOptions>().QueueBatchSize, count);
                campaignId = await PipelineCampaigns.ScheduleAsync(database.Connections, services.GetRequiredService<PiiProtector>(), count, sendAtUtc: DateTime.UtcNow.AddHours(2));
            }

            var calls = (int)Math.Ceiling(count / 10.0);
            var issueBound = calls * latencyMs / 1000.0 / concurrency;
            var renderBound = count * renderMs / 1000.0 / Environment.ProcessorCount;
            Console.WriteLine($"render bound uses {renderMs:F2} ms CPU per coupon (decrypt + render + stage)");
            Console.WriteLine($"load average before: {ProcessStats.LoadAverage()}");

            var databasePid = await ProcessStats.DatabaseServerPidAsync(database);
            var databaseCpuBefore = databasePid is { } dbPid ? ProcessStats.CpuSeconds(dbPid) : 0;
            var benchCpuBefore = Process.GetCurrentProcess().TotalProcessorTime.TotalSeconds;
            var worker = StartWorker(settings);
            var timer = Stopwatch.StartNew();
            long peakKb = 0;
            int queued = 0;
            await using (var c = await database.OpenAsync())
            {
                while (timer.Elapsed < TimeSpan.FromMinutes(10) && !worker.HasExited)
                {
                    peakKb = Math.Max(peakKb, ProcessStats.PeakKb(worker.Id));
                    queued = await c.ExecuteScalarAsync<int>("SELECT COUNT(*) FROM delivery_items WHERE campaign_id = @campaignId AND status = 'QUEUED'", new { campaignId });
                    if (queued == count)
                    {
                        break;
                    }

                    await Task.Delay(200);
                }

                timer.Stop();
                peakKb = Math.Max(peakKb, ProcessStats.PeakKb(worker.Id));
                // The worker records the run's "all queued" moment right after the last batch commits.
                (DateTime Started, DateTime? Issued, DateTime? Queued) run = default;
                for (var i = 0; i < 50 && run.Queued is null; i++)
                {
                    run = await c.QuerySingleAsync<(DateTime, DateTime?, DateTime?)>(
                        "SELECT started_at, all_issued_at, all_queued_at FROM campaign_runs WHERE campaign_id = @campaignId", new { campaignId });
                    await Task.Delay(run.Queued is null ? 100 : 0);
                }

                var workerCpu = ProcessStats.CpuSeconds(worker.Id);
                var databaseCpu = databasePid is { } pid ? ProcessStats.CpuSeconds(pid) - databaseCpuBefore : double.NaN;
                var benchCpu = Process.GetCurrentProcess().TotalProcessorTime.TotalSeconds - benchCpuBefore;
                worker.Kill();
                await worker.WaitForExitAsync();
                Console.WriteLine($"load average after: {ProcessStats.LoadAverage()}");

                var bound = Math.Max(issueBound, Math.Max(renderBound, insertSeconds));
                var fromProcess = timer.Elapsed.TotalSeconds;
                var measured = run.Queued is { } q ? (q - run.Started).TotalSeconds : fromProcess;
                Console.WriteLine($"queued {queued:N0} of {count:N0} in {measured:F1} s from the campaign's start (goal <= 60 s); {fromProcess:F1} s from the worker process's start");
                if (run.Issued is { } issued)
                {
                    Console.WriteLine($"all issued after {(issued - run.Started).TotalSeconds:F1} s");
                }

                Console.WriteLine($"bound: issue {issueBound:F1} s ({calls:N0} calls x {latencyMs} ms / {concurrency}), render {renderBound:F1} s ({count:N0} x {renderMs:F2} ms / {Environment.ProcessorCount} cores), hand-off {insertSeconds:F1} s -> {bound:F1} s");
                Console.WriteLine($"ratio bound / measured: {bound / measured:F2} (goal >= 0.8)");
                // For reading the ratio: rendering and the hand-off's MariaDB work share the same cores, so on a small
                // machine their sum is the realistic floor; the ratio keeps the issue's definition (the slowest stage).
                Console.WriteLine($"render + hand-off (they share the cores): {renderBound + insertSeconds:F1} s -> ratio {(renderBound + insertSeconds) / measured:F2}");
                // How much of the machine the worker actually got: a worker that had 30 % of the cores cannot reach a
                // ratio above ~0.3 against a bound that assumes all of them.
                Console.WriteLine($"worker CPU: {workerCpu:F1} s in {fromProcess:F1} s = {workerCpu / fromProcess / Environment.ProcessorCount:P0} of {Environment.ProcessorCount} cores");
                // Where the machine's CPU went during the run. On a small machine the worker shares the cores with
                // MariaDB and the stand-ins, which the stage bound above does not count; their sum ÷ cores is the
                // floor no schedule of the stages can beat here (D-PIPE-22).
                var totalCpu = workerCpu + databaseCpu + benchCpu;
                Console.WriteLine($"CPU during the run: worker {workerCpu:F1} s + MariaDB {databaseCpu:F1} s + bench process (COUFUN stand-in, polling) {benchCpu:F1} s = {totalCpu:F1} s of {fromProcess * Environment.ProcessorCount:F1} s the {Environment.ProcessorCount} cores had ({totalCpu / (fromProcess * Environment.ProcessorCount):P0})");
                Console.WriteLine($"CPU floor: {totalCpu:F1} s / {Environment.ProcessorCount} cores = {totalCpu / Environment.ProcessorCount:F1} s -> ratio {totalCpu / Environment.ProcessorCount / fromProcess:F2} (against the {fromProcess:F1} s from the worker's start, the span the CPU was counted over); rendering is {renderMs * count / 1000 / totalCpu:P0} of the CPU used");
                Console.WriteLine($"worker peak memory: {peakKb / 1024.0:F0} MB (goal <= 400 MB)");
                return queued == count && measured <= 60 && bound / measured >= 0.8 && peakKb <= 400 * 1024 ? 0 : 1;
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

    /// <summary>
    /// What the worker does per coupon: decrypt the coupon number, draw it on the campaign template and stage the JPEG
    /// where the agent reads it. Returns CPU ms per coupon and the staged files (reused by the hand-off measure).
    /// CPU time, not wall time: on a shared machine the wall time of one thread measures the others' load. The process
    /// is not otherwise idle (the back office's and the stand-in's hosts, tiered JIT compiling in the background), and
    /// that noise made single measures vary 1.5–8 ms between runs; so the idle CPU rate measured just before is
    /// subtracted, and the cheapest of several rounds counts (D-PIPE-22).
    /// </summary>
    private static async Task<(double Ms, List<string> Staged)> MeasureRenderMsAsync(CouponRenderer renderer, SnapImageStager stager, PiiProtector pii)
    {
        const int WarmUp = 400;
        const int Rounds = 5;
        const int PerRound = 200;
        using var template = renderer.CreateTemplate(new CouponTemplateSpec("아메리카노 T", "커피전문점", new DateOnly(2027, 1, 24), CouponType.Barcode, null, null, null));
        var numbers = Enumerable.Range(0, WarmUp + (Rounds * PerRound)).Select(i => pii.Encrypt("8" + i.ToString("D11", CultureInfo.InvariantCulture))).ToArray();
        var staged = new List<string>();
        async Task RenderAsync(int i) => staged.Add(await stager.StageAsync(template.Render(pii.Decrypt(numbers[i])).Jpeg, CancellationToken.None));

        for (var i = 0; i < WarmUp; i++)
        {
            await RenderAsync(i);
        }

        var idleRate = await IdleCpuRateAsync();
        var perRound = new List<double>();
        var wall = new List<double>();
        for (var round = 0; round < Rounds; round++)
        {
            var cpuStart = Process.GetCurrentProcess().TotalProcessorTime;
            var timer = Stopwatch.StartNew();
            for (var i = 0; i < PerRound; i++)
            {
                await RenderAsync(WarmUp + (round * PerRound) + i);
            }

            var seconds = timer.Elapsed.TotalSeconds;
            var cpu = (Process.GetCurrentProcess().TotalProcessorTime - cpuStart).TotalSeconds - (idleRate * seconds);
            perRound.Add(cpu * 1000 / PerRound);
            wall.Add(seconds * 1000 / PerRound);
        }

        var cpuMs = perRound.Min();
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"render: {cpuMs:F2} ms CPU per coupon (cheapest of {Rounds} x {PerRound}; rounds {string.Join(" / ", perRound.Select(x => x.ToString("F2", CultureInfo.InvariantCulture)))}; idle process {idleRate * 100:F0} % of a core subtracted); wall per coupon {wall.Min():F2}-{wall.Max():F2} ms (one thread)"));
        return (cpuMs, staged);
    }

    /// <summary>CPU seconds per second this process uses while the measuring thread sleeps (its hosts' background work).</summary>
    private static async Task<double> IdleCpuRateAsync()
    {
        var cpuStart = Process.GetCurrentProcess().TotalProcessorTime;
        var timer = Stopwatch.StartNew();
        await Task.Delay(1000);
        return (Process.GetCurrentProcess().TotalProcessorTime - cpuStart).TotalSeconds / timer.Elapsed.TotalSeconds;
    }

    /// <summary>
    /// The real hand-off: <see cref="SnapMessageWriter"/> validates and inserts batches of the pipeline's size (messages
    /// + UMS_MSG rows) in one transaction each — here rolled back — for 1,000 messages, scaled to the count.
    /// </summary>
    private static async Task<double> MeasureHandOffSecondsAsync(TestDatabase database, SnapMessageWriter writer, List<string> staged, int batchSize, int count)
    {
        const int Sample = 1000;
        var messages = Enumerable.Range(0, Sample).Select(i => new OutgoingMms
        {
            Phone = "0100" + (900_000 + i).ToString("D7", CultureInfo.InvariantCulture),
            CallbackNumber = PipelineCampaigns.Callback,
            Title = "[테스트] 쿠폰 도착",
            Body = "테스트상사에서 보낸 모바일 쿠폰입니다.",
            ImagePaths = [staged[i % staged.Count]],
            ReserveAtUtc = DateTime.UtcNow.AddHours(2),
            CampaignId = 1,
            RecipientId = i + 1,
            CouponId = i + 1,
        }).ToList();
        await using var c = await database.OpenAsync();
        var best = double.MaxValue;
        for (var round = 0; round < 3; round++)
        {
            var timer = Stopwatch.StartNew();
            foreach (var batch in messages.Chunk(batchSize))
            {
                await using var tx = await c.BeginTransactionAsync();
                await writer.QueueAsync(c, tx, batch, CancellationToken.None);
                await tx.RollbackAsync();
            }

            best = Math.Min(best, timer.Elapsed.TotalSeconds);
        }

        Console.WriteLine($"hand-off: {best * 1000 / Sample:F2} ms per message in batches of {batchSize} (best of 3 x {Sample:N0})");
        return best * count / Sample;
    }

    /// <summary>The back office's settings for a benchmark campaign: the stand-in, no call limits of ours, fast polling.</summary>
    internal static List<KeyValuePair<string, string?>> Settings(TestDatabase database, string scratch, CoufunStandInHost coufun, int concurrency, IEnumerable<KeyValuePair<string, string?>> extra) =>
        TestSettings.BackOffice(database, scratch).Concat(
        [
            new("Coufun:BaseUrl", coufun.BaseUrl),
            new("Coufun:MaxConcurrency", concurrency.ToString(CultureInfo.InvariantCulture)),
            new("Coufun:CallsPerSecond", "10000"),
            new("Pipeline:IssueConcurrency", concurrency.ToString(CultureInfo.InvariantCulture)),
            new("Pipeline:PollIntervalMs", "50"),
            new("Pipeline:TrIdPrefix", "CDB" + Guid.NewGuid().ToString("N")[..6]),
            .. extra,
        ]).ToList();

    internal static Process StartWorker(IEnumerable<KeyValuePair<string, string?>> settings)
    {
        // COUPONDESK_BENCH_WORKER_LOG=path keeps the worker's error lines (deadlocks, lock-wait timeouts) for the analysis.
        var logPath = Environment.GetEnvironmentVariable("COUPONDESK_BENCH_WORKER_LOG");
        var log = string.IsNullOrEmpty(logPath) ? null : TextWriter.Synchronized(new StreamWriter(logPath, append: true) { AutoFlush = true });
        return BackOfficeProcess.Start([.. settings, new("Serilog:MinimumLevel:Default", "Error")], "worker", BuiltConfiguration(), line => log?.WriteLine(line)).Process;
    }

    /// <summary>Release when it was built (benchmarks should run it), else Debug.</summary>
    public static string BuiltConfiguration() =>
        File.Exists(Path.Combine(BackOfficeProcess.RepositoryRoot(), "src", "CouponDesk", "bin", "Release", "net10.0", "CouponDesk.dll")) ? "Release" : "Debug";

    internal static string? Option(string[] args, string name)
    {
        var i = Array.IndexOf(args, name);
        return i >= 0 && i + 1 < args.Length ? args[i + 1] : null;
    }
}
