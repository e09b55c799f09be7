using System.Diagnostics;
using System.Globalization;
using System.Security.Cryptography;
using CouponDesk.Data;
using CouponDesk.Features.Recipients;
using CouponDesk.Security.Pii;
using CouponDesk.Shared.Text;
using Dapper;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using MiniExcelLibs;
using MySqlConnector;

namespace CouponDesk.Bench.Recipients;

/// <summary>
/// Issue 7 goal: a 20,000-row .xlsx parsed, validated and stored (encrypted, multi-row inserts) in ≤ 2 s with
/// ≤ 150 MB extra memory. Runs against a scratch database on the given MariaDB server (dropped afterwards).
/// Usage: <c>recipients-upload [--server "Server=…;User ID=…;Password=…"] [--runs 5] [--rows 20000]</c>; the server
/// defaults to <c>COUPONDESK_BENCH_DB</c>, then the local test instance.
/// </summary>
public sealed class RecipientUploadBenchmark : IBenchmark
{
    private const double GoalSeconds = 2.0;
    private const double GoalMegabytes = 150.0;

    public string Description => "20,000-row .xlsx parsed, validated and stored (goal ≤ 2 s, ≤ 150 MB)";

    public async Task<int> RunAsync(string[] args)
    {
        KoreanEncoding.Register();
        var server = Option(args, "--server") ?? Environment.GetEnvironmentVariable("COUPONDESK_BENCH_DB")
            ?? "Server=127.0.0.1;Port=3317;User ID=coupondesk;Password=dev-only-coupondesk";
        var runs = int.Parse(Option(args, "--runs") ?? "5", CultureInfo.InvariantCulture);
        var rowCount = int.Parse(Option(args, "--rows") ?? "20000", CultureInfo.InvariantCulture);

        var database = $"bench_recipients_{Guid.NewGuid().ToString("N")[..8]}";
        var builder = new MySqlConnectionStringBuilder(server) { Database = database };
        var connections = new DbConnectionFactory(new DatabaseOptions { ConnectionString = builder.ConnectionString });
        await new DatabaseMigrator(connections, NullLogger<DatabaseMigrator>.Instance).MigrateAsync();
        try
        {
            var file = BuildFile(rowCount);
            Console.WriteLine($"machine: {MachineInfo.Describe()}");
            Console.WriteLine($"load average: {LoadAverage()}");
            Console.WriteLine($"file: {rowCount:N0} rows (20 invalid, 10 duplicates), {file.Length / 1024.0:N0} KB .xlsx");

            var options = new RecipientOptions();
            var reader = new RecipientUploadReader(options);
            var pii = new PiiProtector(new PiiOptions
            {
                Keys = { ["1"] = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)) },
                BlindIndexKey = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)),
            });
            using var services = new ServiceCollection().AddMetrics().AddLogging().AddSingleton(pii).AddSingleton<PiiReader>().BuildServiceProvider();
            var store = new RecipientListStore(connections, pii, services.GetRequiredService<PiiReader>(), TimeProvider.System);
            var campaignId = await CreateCampaignAsync(connections);

            var results = new List<(double Seconds, double ParseSeconds, double PeakMb, double AllocatedMb)>();
            for (var run = 0; run <= runs; run++)
            {
                GC.Collect();
                GC.WaitForPendingFinalizers();
                GC.Collect();
                var baseline = Process.GetCurrentProcess().WorkingSet64;
                using var sampler = new PeakSampler();
                var allocatedBefore = GC.GetTotalAllocatedBytes(precise: true);
                var clock = Stopwatch.StartNew();

                using var content = new MemoryStream(file, 0, file.Length, writable: false, publiclyVisible: true);
                var parsed = reader.Parse("recipients.xlsx", content, out _);
                var parseSeconds = clock.Elapsed.TotalSeconds;
                var (outcome, _) = await store.StageAsync(campaignId, "XLSX", "recipients.xlsx", parsed, null, CancellationToken.None);

                var seconds = clock.Elapsed.TotalSeconds;
                var allocated = (GC.GetTotalAllocatedBytes(precise: true) - allocatedBefore) / 1048576.0;
                var peak = (sampler.Stop() - baseline) / 1048576.0;
                if (outcome != AcceptOutcome.Accepted || parsed.Valid.Count != rowCount - 30)
                {
                    Console.WriteLine($"unexpected result: {outcome}, {parsed.Valid.Count} valid");
                    return 1;
                }

                // Run 0 warms up the JIT and the connection pool; it is printed but not counted.
                Console.WriteLine($"run {run}{(run == 0 ? " (warm-up)" : "")}: {seconds:F3} s (parse+validate {parseSeconds:F3} s, encrypt+store {seconds - parseSeconds:F3} s), peak working set +{peak:F0} MB, allocated {allocated:F0} MB");
                if (run > 0)
                {
                    results.Add((seconds, parseSeconds, peak, allocated));
                }
            }

            var median = results.OrderBy(r => r.Seconds).ElementAt(results.Count / 2);
            var worstPeak = results.Max(r => r.PeakMb);
            var ok = median.Seconds <= GoalSeconds && worstPeak <= GoalMegabytes;
            Console.WriteLine($"median {median.Seconds:F3} s (goal ≤ {GoalSeconds} s), worst peak +{worstPeak:F0} MB (goal ≤ {GoalMegabytes} MB): {(ok ? "PASS" : "FAIL")}");
            return ok ? 0 : 1;
        }
        finally
        {
            MySqlConnection.ClearAllPools();
            await using var admin = new MySqlConnection(server);
            await admin.OpenAsync();
            await admin.ExecuteAsync($"DROP DATABASE IF EXISTS `{database}`");
        }
    }

    private static byte[] BuildFile(int rows)
    {
        var data = new List<Dictionary<string, object?>>(rows);
        for (var i = 0; i < rows; i++)
        {
            // Reserved test block 010-0000-xxxx … 010-0099-xxxx; every 1,000th row invalid, every 2,000th a duplicate.
            var n = i % 2000 == 1000 ? i - 2 : i;
            var phone = i % 1000 == 999 ? "010-0000-12x4" : $"010-{n / 10_000:D4}-{n % 10_000:D4}";
            data.Add(new Dictionary<string, object?> { ["휴대폰번호"] = phone, ["이름"] = i % 3 == 0 ? "홍길동" : null });
        }

        using var stream = new MemoryStream();
        stream.SaveAs(data, excelType: ExcelType.XLSX);
        return stream.ToArray();
    }

    private static async Task<long> CreateCampaignAsync(DbConnectionFactory connections)
    {
        await using var connection = await connections.OpenAsync();
        return await connection.ExecuteScalarAsync<long>(
            """
            INSERT INTO campaigns (status, client_name, event_name, created_at, updated_at) VALUES ('DRAFT', 'bench', 'bench', UTC_TIMESTAMP(6), UTC_TIMESTAMP(6));
            SELECT LAST_INSERT_ID();
            """);
    }

    private static string? Option(string[] args, string name)
    {
        var i = Array.IndexOf(args, name);
        return i >= 0 && i + 1 < args.Length ? args[i + 1] : null;
    }

    private static string LoadAverage() => File.Exists("/proc/loadavg") ? File.ReadAllText("/proc/loadavg").Trim() : "n/a";

    /// <summary>Samples the working set every 5 ms; the peak minus the baseline is the run's extra memory.</summary>
    private sealed class PeakSampler : IDisposable
    {
        private readonly Thread thread;
        private volatile bool running = true;
        private long peak;

        public PeakSampler()
        {
            thread = new Thread(() =>
            {
                using var process = Process.GetCurrentProcess();
                while (running)
                {
                    process.Refresh();
                    peak = Math.Max(peak, process.WorkingSet64);
                    Thread.Sleep(5);
                }
            })
            { IsBackground = true };
            thread.Start();
        }

        public long Stop()
        {
            running = false;
            thread.Join();
            return peak;
        }

        public void Dispose() => running = false;
    }
}
