using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Json;
using CouponDesk.Data;
using CouponDesk.Features.Coupons;
using CouponDesk.Hosting;
using CouponDesk.TestSupport;
using Dapper;
using Microsoft.Extensions.DependencyInjection;

namespace CouponDesk.Bench.Coupons;

/// <summary>
/// The coupon status sync's cost (issue 17): calls and seconds per run with 20,000 live coupons, against the COUFUN
/// stand-in on loopback (its own database) through the real client and call gate. The coupons are written straight into
/// both ledgers (the stand-in's and ours, numbers encrypted as the pipeline stores them); the usage simulator then uses
/// a share of them with their pushes lost, so the runs have changes to apply. Prints the selection time, then each run.
/// Usage: <c>status-sync [--coupons 20000] [--runs 5] [--events 2000]</c>; the database server is <c>COUPONDESK_TEST_DB</c>
/// (as for the tests).
/// </summary>
public sealed class StatusSyncBenchmark : IBenchmark
{
    public string Description => "coupon status sync: calls and seconds per run at 20,000 live coupons";

    public async Task<int> RunAsync(string[] args)
    {
        var coupons = int.Parse(BenchHost.Option(args, "--coupons") ?? "20000", CultureInfo.InvariantCulture);
        var runs = int.Parse(BenchHost.Option(args, "--runs") ?? "5", CultureInfo.InvariantCulture);
        var events = int.Parse(BenchHost.Option(args, "--events") ?? "2000", CultureInfo.InvariantCulture);
        Console.WriteLine(MachineInfo.Describe());
        Console.WriteLine($"load average before: {File.ReadAllText("/proc/loadavg").Trim()}");
        await using var coufun = await CoufunStandInHost.StartAsync();
        var database = new TestDatabase();
        await database.MigrateAsync();
        var scratch = TestSettings.NewScratchDirectory();
        var backOffice = await LoopbackHost.StartAsync(a => CouponDeskHost.Build(a),
        [
            new("environment", "Testing"),
            .. TestSettings.BackOffice(database, scratch),
            new("CouponDesk:Roles", "web"),
            new("Coufun:BaseUrl", coufun.BaseUrl),
            new("Serilog:MinimumLevel:Default", "Warning"),
        ]);
        try
        {
            var seed = Stopwatch.StartNew();
            await SeedAsync(coufun, backOffice.Services, coupons);
            Console.WriteLine($"seeded {coupons:N0} live coupons in both ledgers in {seed.Elapsed.TotalSeconds:F1} s");
            (await coufun.Client.PutAsJsonAsync("_control/simulator", new { enabled = false, seed = 17, silentShare = 1.0 })).EnsureSuccessStatusCode();
            (await coufun.Client.PostAsJsonAsync("_control/simulator/step", new { events })).EnsureSuccessStatusCode();
            Console.WriteLine($"usage simulator: {events:N0} events at the stand-in, every push lost");

            var sync = backOffice.Services.GetRequiredService<CouponStatusSync>();
            var select = Stopwatch.StartNew();
            var selected = await sync.SelectAsync(CancellationToken.None);
            Console.WriteLine($"selection of {selected.Count} coupons among {coupons:N0}: {select.Elapsed.TotalMilliseconds:F0} ms");
            for (var i = 1; i <= runs; i++)
            {
                var timer = Stopwatch.StartNew();
                var summary = await sync.RunOnceAsync(CancellationToken.None);
                timer.Stop();
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"run {i}: {summary.Calls} status calls, {summary.Changed} changed, {summary.Conflicts} conflicts, {summary.Reviews} kept for review, {timer.Elapsed.TotalSeconds:F2} s ({timer.Elapsed.TotalMilliseconds / Math.Max(1, summary.Calls):F1} ms per coupon)"));
            }

            Console.WriteLine($"load average after: {File.ReadAllText("/proc/loadavg").Trim()}");
            return 0;
        }
        finally
        {
            await backOffice.DisposeAsync();
            await database.DisposeAsync();
            if (Directory.Exists(scratch))
            {
                Directory.Delete(scratch, recursive: true);
            }
        }
    }

    /// <summary>One stand-in order holding every coupon, the same numbers in our table (encrypted, in batches), all unused.</summary>
    private static async Task SeedAsync(CoufunStandInHost coufun, IServiceProvider services, int count)
    {
        var numbers = Enumerable.Range(0, count).Select(i => "97" + i.ToString("D10", CultureInfo.InvariantCulture)).ToList();
        var validEnd = DateOnly.FromDateTime(DateTime.UtcNow.AddHours(9)).AddDays(60);
        var now = DateTime.UtcNow;
        await using (var s = await coufun.Database.OpenAsync())
        {
            var order = await s.ExecuteScalarAsync<long>(
                """
                INSERT INTO orders (poc_id, order_id, tr_id, goods_id, cat_id, order_cnt, valid_end_date, reserve1, reserve2, created_at)
                VALUES ('TESTPOC01', 'TBENCH000000001', 'BENCHSYNC', '0000000101', '0000000001', @count, @end, '', '', @now);
                SELECT LAST_INSERT_ID();
                """, new { count, end = validEnd.ToString("yyyyMMdd", CultureInfo.InvariantCulture), now });
            foreach (var chunk in numbers.Chunk(1000))
            {
                await s.ExecuteAsync(
                    "INSERT INTO coupons (barcode_num, order_row_id, poc_id, goods_id, coupon_type, status, total_amount, remain_amount, price, order_date, valid_end_date, stamp_duty, created_at) VALUES "
                    + string.Join(',', chunk.Select(n => $"('{n}', {order}, 'TESTPOC01', '0000000101', 'BARCODE', '000', 0, 0, 4230, '{now:yyyyMMdd}', '{validEnd:yyyyMMdd}', '인지세 해당 없음', @now)")),
                    new { now });
            }
        }

        var repository = services.GetRequiredService<CouponRepository>();
        await using var c = await services.GetRequiredService<DbConnectionFactory>().OpenAsync();
        foreach (var chunk in numbers.Chunk(2000))
        {
            await using var tx = await c.BeginTransactionAsync();
            await repository.InsertIssuedAsync(c, tx, [.. chunk.Select(n => new IssuedCoupon(n, "0000000101", CouponType.Barcode, 4500, 4230, validEnd, null, "BENCHSYNC", "TBENCH000000001", null, now))]);
            await tx.CommitAsync();
        }
    }
}
