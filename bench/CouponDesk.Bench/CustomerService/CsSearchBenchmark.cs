using System.Diagnostics;
using System.Globalization;
using System.Security.Cryptography;
using CouponDesk.Bench.Scale;
using CouponDesk.Data;
using CouponDesk.Features.Audit;
using CouponDesk.Features.Coupons;
using CouponDesk.Features.CustomerService;
using CouponDesk.Features.Pipeline.Resends;
using CouponDesk.Security.Pii;
using Dapper;
using Microsoft.Extensions.DependencyInjection;
using MySqlConnector;

namespace CouponDesk.Bench.CustomerService;

/// <summary>
/// C/S search latency (issue 16: p50/p95 of 1,000 searches by phone and 1,000 by coupon number, one user, with 1,000,000
/// delivery items; goal p95 ≤ 20 ms). A scratch database gets 50 finished campaigns of 20,000 recipients each — items,
/// recipient rows, coupons and messages — generated in SQL (MariaDB's sequence engine). The bulk's ciphertexts and blind
/// indexes are random bytes of the right sizes (a search never decrypts what it does not find, and HMAC outputs look like
/// random bytes to an index); 2,000 sampled items get real encrypted phones and coupon numbers. Each search is the whole
/// <see cref="CsSearch.SearchAsync"/>: parse, index lookups, the lineage, the row build with masking.
/// Usage: <c>cs-search [--server "Server=…;Port=…;User ID=…;Password=…"] [--campaigns 50] [--per 20000] [--searches 1000]</c>.
/// </summary>
public sealed class CsSearchBenchmark : IBenchmark
{
    public string Description => "C/S search latency over 1,000,000 delivery items (goal p95 <= 20 ms)";

    public async Task<int> RunAsync(string[] args)
    {
        var server = BenchHost.Option(args, "--server") ?? Environment.GetEnvironmentVariable("COUPONDESK_TEST_DB")
            ?? "Server=127.0.0.1;Port=3307;User ID=coupondesk;Password=dev-only-coupondesk";
        var campaigns = int.Parse(BenchHost.Option(args, "--campaigns") ?? "50", CultureInfo.InvariantCulture);
        var per = int.Parse(BenchHost.Option(args, "--per") ?? "20000", CultureInfo.InvariantCulture);
        var searches = int.Parse(BenchHost.Option(args, "--searches") ?? "1000", CultureInfo.InvariantCulture);
        var database = $"cdb_cs_{Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(4))}";
        var connectionString = DbConnectionFactory.Normalize(new MySqlConnectionStringBuilder(server) { Database = database }.ConnectionString);
        Console.WriteLine(MachineInfo.Describe());
        try
        {
            await using var services = BuildServices(connectionString);
            await services.GetRequiredService<DatabaseMigrator>().MigrateAsync();
            var pii = services.GetRequiredService<PiiProtector>();
            var generate = Stopwatch.StartNew();
            var year = new YearOfData(services.GetRequiredService<DbConnectionFactory>(), pii, services.GetRequiredService<AuditTrail>());
            var samples = await year.GenerateAsync(new YearOfData.Shape(campaigns, per, 2000, DateTime.UtcNow), Console.WriteLine);
            Console.WriteLine($"data: {campaigns * per:N0} delivery items in {campaigns} campaigns, generated in {generate.Elapsed.TotalSeconds:F0} s; {samples.Count:N0} searchable samples");

            var search = services.GetRequiredService<CsSearch>();
            var random = new Random(16);
            for (var i = 0; i < 50; i++)
            {
                var s = samples[random.Next(samples.Count)];
                await search.SearchAsync(CsQuery.Parse(s.Phone, null, pii, out _)!, null, 50, CancellationToken.None);
            }

            var byPhone = await MeasureAsync(searches, () => CsQuery.Parse(samples[random.Next(samples.Count)].Phone, null, pii, out _)!, search);
            var byCoupon = await MeasureAsync(searches, () => CsQuery.Parse(null, samples[random.Next(samples.Count)].Coupon, pii, out _)!, search);
            var byLast4 = await MeasureAsync(searches, () =>
            {
                var s = samples[random.Next(samples.Count)];
                return CsQuery.Parse(s.Phone, s.Coupon[^4..], pii, out _)!;
            }, search);
            Report("by phone", byPhone);
            Report("by coupon number", byCoupon);
            Report("by last 4 + phone", byLast4);
            return Percentile(byPhone, 0.95) <= 20 && Percentile(byCoupon, 0.95) <= 20 ? 0 : 1;
        }
        finally
        {
            MySqlConnection.ClearAllPools();
            await using var admin = new MySqlConnection(server);
            await admin.OpenAsync();
            await admin.ExecuteAsync($"DROP DATABASE IF EXISTS `{database}`", commandTimeout: 600);
        }
    }

    private static async Task<List<double>> MeasureAsync(int count, Func<CsQuery> next, CsSearch search)
    {
        var times = new List<double>(count);
        for (var i = 0; i < count; i++)
        {
            var query = next();
            var timer = Stopwatch.StartNew();
            var page = await search.SearchAsync(query, null, 50, CancellationToken.None);
            timer.Stop();
            if (page.Items.Count == 0)
            {
                throw new InvalidOperationException("a sampled search found nothing");
            }

            times.Add(timer.Elapsed.TotalMilliseconds);
        }

        return times;
    }

    private static void Report(string what, List<double> times) =>
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{what,-18}: {times.Count:N0} searches, p50 {Percentile(times, 0.5):F2} ms, p95 {Percentile(times, 0.95):F2} ms, p99 {Percentile(times, 0.99):F2} ms, max {times.Max():F2} ms (goal p95 <= 20 ms)"));

    private static double Percentile(List<double> values, double p)
    {
        var sorted = values.Order().ToList();
        return sorted[Math.Clamp((int)Math.Ceiling(p * sorted.Count) - 1, 0, sorted.Count - 1)];
    }

    private static ServiceProvider BuildServices(string connectionString)
    {
        var services = BenchHost.BaseServices(connectionString);
        services.AddSingleton(new AuditOptions { ChainKey = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)) });
        services.AddSingleton<AuditChain>();
        services.AddSingleton<AuditTrail>();
        services.AddSingleton<CouponRepository>();
        services.AddSingleton(new CsOptions());
        services.AddSingleton(new ResendOptions());
        services.AddSingleton<CsRows>();
        services.AddSingleton<CsSearch>();
        return services.BuildServiceProvider();
    }
}
