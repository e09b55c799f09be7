using System.Diagnostics;
using System.Globalization;
using CouponDesk.Features.Rendering;
using CouponDesk.Hosting;
using CouponDesk.Integrations.Snap.SenderNumbers;
using CouponDesk.Security.Pii;
using CouponDesk.TestSupport;
using Dapper;
using Microsoft.Extensions.DependencyInjection;

namespace CouponDesk.Bench.Pipeline;

/// <summary>
/// 20,000 recipients from SCHEDULED to all QUEUED (goals: ≤ 60 s, bound ÷ measured ≥ 0.8, worker peak ≤ 400 MB). The
/// COUFUN stand-in answers after 30 ms; one worker process (the built CouponDesk.dll, roles=worker) does the work; the
/// send time is in the future, so nothing is sent. Bound = the slowest stage measured on its own: create calls ×
/// latency ÷ concurrency, renders × ms ÷ cores, and the hand-off inserts (the stages overlap).
/// Usage: <c>pipeline [--count 20000] [--concurrency 16]</c> with COUPONDESK_TEST_DB set (see scripts/test).
/// </summary>
public sealed class PipelineBenchmark : IBenchmark
{
    private static readonly string[] CreateOnly = ["create"];

    public string Description => "20,000-recipient campaign to all queued against the stand-ins (goal <= 60 s, ratio >= 0.8, <= 400 MB)";

    public async Task<int> RunAsync(string[] args)
    {
        var count = int.Parse(Option(args, "--count") ?? "20000", CultureInfo.InvariantCulture);
        var concurrency = int.Parse(Option(args, "--concurrency") ?? "16", CultureInfo.InvariantCulture);
        const int latencyMs = 30;
        Console.WriteLine(MachineInfo.Describe());
        await using var coufun = await CoufunStandInHost.StartAsync();
        await coufun.SetFaultsAsync(new { endpoints = CreateOnly, latencyMinMs = latencyMs, latencyMaxMs = latencyMs });
        var database = new TestDatabase();
        await database.MigrateAsync();
        var scratch = TestSettings.NewScratchDirectory();
        try
        {
            var settings = TestSettings.BackOffice(database, scratch).Concat(
            [
                new("Coufun:BaseUrl", coufun.BaseUrl),
                new("Coufun:MaxConcurrency", concurrency.ToString(CultureInfo.InvariantCulture)),
                new("Coufun:CallsPerSecond", "10000"),
                new("Pipeline:IssueConcurrency", concurrency.ToString(CultureInfo.InvariantCulture)),
                new("Pipeline:PollIntervalMs", "50"),
                new("Pipeline:TrIdPrefix", "CDB" + Guid.NewGuid().ToString("N")[..6]),
            ]).ToList();
            long campaignId;
            double renderMs;
            await using (var backOffice = await LoopbackHost.StartAsync(a => CouponDeskHost.Build(a), [new("environment", "Testing"), .. settings]))
            {
                await using (var c = await database.OpenAsync())
                {
                    await backOffice.Services.GetRequiredService<SenderNumberRegistry>().EnsureRegisteredAsync(c, PipelineCampaigns.Callback, "bench", CancellationToken.None);
                }

                renderMs = MeasureRenderMs(backOffice.Services.GetRequiredService<CouponRenderer>());
                campaignId = await PipelineCampaigns.ScheduleAsync(database.Connections, backOffice.Services.GetRequiredService<PiiProtector>(), count, sendAtUtc: DateTime.UtcNow.AddHours(2));
            }

            var calls = (int)Math.Ceiling(count / 10.0);
            var issueBound = calls * latencyMs / 1000.0 / concurrency;
            var renderBound = count * renderMs / 1000.0 / Environment.ProcessorCount;
            Console.WriteLine($"render: {renderMs:F1} ms per coupon on one core");

            var worker = StartWorker(settings);
            var timer = Stopwatch.StartNew();
            long peakKb = 0;
            int queued = 0;
            await using (var c = await database.OpenAsync())
            {
                while (timer.Elapsed < TimeSpan.FromMinutes(10) && !worker.HasExited)
                {
                    peakKb = Math.Max(peakKb, PeakKb(worker.Id));
                    queued = await c.ExecuteScalarAsync<int>("SELECT COUNT(*) FROM delivery_items WHERE campaign_id = @campaignId AND status = 'QUEUED'", new { campaignId });
                    if (queued == count)
                    {
                        break;
                    }

                    await Task.Delay(200);
                }

                timer.Stop();
                peakKb = Math.Max(peakKb, PeakKb(worker.Id));
                worker.Kill();
                await worker.WaitForExitAsync();

                // The hand-off share: the time the insert transactions took, from the messages' own timestamps is not
                // recorded, so it is measured here as the elapsed time of one 1,000-row insert scaled to the count.
                var insertSeconds = await MeasureInsertSecondsAsync(c, count);
                var bound = Math.Max(issueBound, Math.Max(renderBound, insertSeconds));
                var measured = timer.Elapsed.TotalSeconds;
                Console.WriteLine($"queued {queued:N0} of {count:N0} in {measured:F1} s (goal <= 60 s)");
                Console.WriteLine($"bound: issue {issueBound:F1} s ({calls:N0} calls x {latencyMs} ms / {concurrency}), render {renderBound:F1} s ({count:N0} x {renderMs:F1} ms / {Environment.ProcessorCount} cores), insert {insertSeconds:F1} s -> {bound:F1} s");
                Console.WriteLine($"ratio bound / measured: {bound / measured:F2} (goal >= 0.8)");
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

    private static double MeasureRenderMs(CouponRenderer renderer)
    {
        using var template = renderer.CreateTemplate(new CouponTemplateSpec("아메리카노 T", "커피전문점", new DateOnly(2027, 1, 24), CouponType.Barcode, null, null, null));
        for (var i = 0; i < 20; i++)
        {
            template.Render("9" + i.ToString("D11", CultureInfo.InvariantCulture));
        }

        var timer = Stopwatch.StartNew();
        for (var i = 0; i < 200; i++)
        {
            template.Render("8" + i.ToString("D11", CultureInfo.InvariantCulture));
        }

        return timer.Elapsed.TotalMilliseconds / 200;
    }

    /// <summary>One multi-row insert of 1,000 rows shaped like UMS_MSG rows into a scratch copy of the table, scaled to the count.</summary>
    private static async Task<double> MeasureInsertSecondsAsync(MySqlConnector.MySqlConnection c, int count)
    {
        await c.ExecuteAsync("CREATE TABLE bench_ums LIKE UMS_MSG");
        await c.ExecuteAsync("INSERT INTO bench_ums SELECT * FROM UMS_MSG LIMIT 1000");
        var timer = Stopwatch.StartNew();
        await c.ExecuteAsync("CREATE TEMPORARY TABLE bench_copy AS SELECT * FROM bench_ums");
        await c.ExecuteAsync("UPDATE bench_copy SET CLIENT_KEY = CONCAT('B', CLIENT_KEY)");
        await c.ExecuteAsync("INSERT INTO bench_ums SELECT * FROM bench_copy");
        var seconds = timer.Elapsed.TotalSeconds;
        return seconds * 2 * count / 1000.0; // messages + UMS_MSG rows
    }

    private static Process StartWorker(IEnumerable<KeyValuePair<string, string?>> settings)
    {
        var dll = Path.Combine(AppContext.BaseDirectory, "CouponDesk.dll");
        var root = new DirectoryInfo(AppContext.BaseDirectory);
        while (root is not null && !File.Exists(Path.Combine(root.FullName, "CouponDesk.slnx")))
        {
            root = root.Parent;
        }

        foreach (var config in new[] { "Release", "Debug" })
        {
            var candidate = Path.Combine(root!.FullName, "src", "CouponDesk", "bin", config, "net10.0", "CouponDesk.dll");
            if (File.Exists(candidate))
            {
                dll = candidate;
                break;
            }
        }

        var info = new ProcessStartInfo("dotnet", [dll]) { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = Path.GetDirectoryName(dll)! };
        foreach (var (key, value) in settings)
        {
            info.Environment[key.Replace(":", "__", StringComparison.Ordinal)] = value ?? "";
        }

        info.Environment["CouponDesk__Roles"] = "worker";
        info.Environment["Serilog__MinimumLevel__Default"] = "Error";
        info.Environment["DOTNET_ENVIRONMENT"] = "Testing";
        info.Environment["ASPNETCORE_URLS"] = "http://127.0.0.1:0";
        var process = Process.Start(info)!;
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return process;
    }

    /// <summary>VmHWM (peak resident set) of a process, in KB; 0 when it is gone.</summary>
    private static long PeakKb(int pid)
    {
        try
        {
            var line = File.ReadLines($"/proc/{pid}/status").FirstOrDefault(l => l.StartsWith("VmHWM:", StringComparison.Ordinal));
            return line is null ? 0 : long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture);
        }
        catch (IOException)
        {
            return 0;
        }
    }

    private static string? Option(string[] args, string name)
    {
        var i = Array.IndexOf(args, name);
        return i >= 0 && i + 1 < args.Length ? args[i + 1] : null;
    }
}
