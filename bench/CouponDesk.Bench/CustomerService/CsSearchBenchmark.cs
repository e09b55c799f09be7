using System.Diagnostics;
using System.Globalization;
using System.Security.Cryptography;
using CouponDesk.Data;
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
            var samples = await GenerateAsync(services.GetRequiredService<DbConnectionFactory>(), pii, campaigns, per);
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

    private sealed record Sample(long ItemId, string Phone, string Coupon);

    /// <summary>The bulk in SQL, then real values for a sample of items (phones 010-0000-0001… in the test range).</summary>
    private static async Task<List<Sample>> GenerateAsync(DbConnectionFactory connections, PiiProtector pii, int campaigns, int per)
    {
        await using var c = await connections.OpenAsync();
        var now = DateTime.UtcNow;
        await c.ExecuteAsync(
            $"""
            INSERT INTO campaigns (id, status, client_name, event_name, send_mode, scheduled_at, start_at, goods_id, product_name, exchange_place, supply_price, list_price,
              coupon_type, sender_number, mms_title, mms_body, recipient_list_id, recipient_count, created_at, updated_at)
            SELECT seq, 'COMPLETED', CONCAT('고객사', seq), CONCAT('벤치 이벤트 ', seq), 'AT', DATE_SUB(@now, INTERVAL seq HOUR), DATE_SUB(@now, INTERVAL seq HOUR),
              '0000000101', '아메리카노 T', '커피전문점', 4230, 4500, 'BARCODE', '16000000', '[벤치] 쿠폰', '벤치 메시지', seq, {per}, @now, @now
            FROM seq_1_to_{campaigns}
            """, new { now }, commandTimeout: 600);
        await c.ExecuteAsync(
            $"""
            INSERT INTO recipient_lists (id, campaign_id, status, source, total_rows, valid_count, error_count, duplicate_count, created_at, accepted_at)
            SELECT seq, seq, 'ACCEPTED', 'QUICK', {per}, {per}, 0, 0, @now, @now FROM seq_1_to_{campaigns}
            """, new { now }, commandTimeout: 600);
        for (var campaign = 1; campaign <= campaigns; campaign++)
        {
            var offset = (long)(campaign - 1) * per;
            var args = new { campaign, offset, now };
            await c.ExecuteAsync(
                $"INSERT INTO recipient_list_rows (list_id, seq, source_row, phone_enc, phone_bidx) SELECT @campaign, seq, seq + 1, RANDOM_BYTES(44), RANDOM_BYTES(32) FROM seq_1_to_{per}",
                args, commandTimeout: 600);
            await c.ExecuteAsync(
                $"""
                INSERT INTO coupons (id, coupon_number_enc, coupon_number_index, coupon_number_last4, key_version, goods_id, coupon_type, status, face_value, price, balance, valid_until, issued_at, created_at, updated_at)
                SELECT @offset + seq, RANDOM_BYTES(45), RANDOM_BYTES(32), LPAD(seq MOD 10000, 4, '0'), 1, '0000000101', 'BARCODE', 'UNUSED', 4500, 4230, 4500, DATE_ADD(@now, INTERVAL 60 DAY), @now, @now, @now
                FROM seq_1_to_{per}
                """, args, commandTimeout: 600);
            await c.ExecuteAsync(
                $"""
                INSERT INTO messages (id, client_key, campaign_id, recipient_id, coupon_id, attempt_no, message_type, phone_enc, callback_number, req_at, reserved, status, outcome, done_at, done_code, done_code_desc, created_at, updated_at)
                SELECT @offset + seq, CONCAT('CDB', LPAD(@offset + seq, 12, '0')), @campaign, @offset + seq, @offset + seq, 1, 'INITIAL', RANDOM_BYTES(44), '16000000', @now, 0, 'SUCCESS', 'SUCCESS', @now, '10000', '성공', @now, @now
                FROM seq_1_to_{per}
                """, args, commandTimeout: 600);
            await c.ExecuteAsync(
                $"""
                INSERT INTO delivery_items (id, campaign_id, list_id, seq, status, coupon_id, message_id, ever_delivered, created_at, updated_at)
                SELECT @offset + seq, @campaign, @campaign, seq, 'SENT', @offset + seq, @offset + seq, 1, @now, @now FROM seq_1_to_{per}
                """, args, commandTimeout: 600);
        }

        // Real values for the sampled items: one in every (total / 2000), spread over every campaign.
        var total = (long)campaigns * per;
        var samples = new List<Sample>();
        var step = Math.Max(1, total / 2000);
        for (long id = 1, n = 1; id <= total; id += step, n++)
        {
            var phone = "0100" + n.ToString("D7", CultureInfo.InvariantCulture);
            var coupon = "9" + id.ToString("D11", CultureInfo.InvariantCulture);
            var campaign = ((id - 1) / per) + 1;
            var seq = ((id - 1) % per) + 1;
            await c.ExecuteAsync(
                """
                UPDATE recipient_list_rows SET phone_enc = @phoneEnc, phone_bidx = @phoneIndex WHERE list_id = @campaign AND seq = @seq;
                UPDATE coupons SET coupon_number_enc = @couponEnc, coupon_number_index = @couponIndex, coupon_number_last4 = @last4 WHERE id = @id;
                UPDATE messages SET phone_enc = @messageEnc WHERE id = @id;
                """,
                new
                {
                    campaign,
                    seq,
                    id,
                    phoneEnc = pii.Encrypt(phone),
                    phoneIndex = pii.PhoneBlindIndex(phone),
                    couponEnc = pii.Encrypt(coupon),
                    couponIndex = pii.CouponBlindIndex(coupon),
                    last4 = coupon[^4..],
                    messageEnc = pii.Encrypt(phone),
                });
            samples.Add(new Sample(id, phone, coupon));
        }

        await c.ExecuteAsync("ANALYZE TABLE delivery_items, recipient_list_rows, coupons, messages", commandTimeout: 600);
        return samples;
    }

    private static ServiceProvider BuildServices(string connectionString)
    {
        var services = BenchHost.BaseServices(connectionString);
        services.AddSingleton<CouponRepository>();
        services.AddSingleton(new CsOptions());
        services.AddSingleton(new ResendOptions());
        services.AddSingleton<CsRows>();
        services.AddSingleton<CsSearch>();
        return services.BuildServiceProvider();
    }
}
