using System.Diagnostics;
using System.Security.Cryptography;
using CouponDesk.Data;
using CouponDesk.Features.Messages;
using CouponDesk.Integrations.Snap;
using CouponDesk.Integrations.Snap.SenderNumbers;
using CouponDesk.Shared.Snap;
using Dapper;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using MySqlConnector;

namespace CouponDesk.Bench.Snap;

/// <summary>
/// Result sync over 20,000 finished messages (goal ≤ 5 s; issue 21: 60,000 in ≤ 10 s): queues the MMS with the real
/// writer into a scratch database, finishes them as the agent would (mixed codes; half moved to the month table, half
/// still complete in UMS_MSG), then times one <see cref="DeliveryResultSync"/> pass. Also prints the hand-off time.
/// With <c>--history N</c> the database first gets a year of finished traffic (<see cref="ResultHistory"/>: N final
/// messages and N rows over the twelve previous month tables), and the passes that find nothing to store — before the
/// hand-off, and with every message queued but not yet finished — are measured in rows read and time, to show that a
/// run's cost does not grow with the log tables (issue 21 point 5).
/// Usage: <c>snap-reconcile [--server "Server=…;Port=…;User ID=…;Password=…"] [--count 20000] [--history 0]</c>
/// (default server: COUPONDESK_TEST_DB, else the development MariaDB on 3307).
/// </summary>
public sealed class ReconcileBenchmark : IBenchmark
{
    public string Description => "result sync over 20,000 finished SNAP rows (goal <= 5 s)";

    public async Task<int> RunAsync(string[] args)
    {
        var server = Option(args, "--server") ?? Environment.GetEnvironmentVariable("COUPONDESK_TEST_DB")
            ?? "Server=127.0.0.1;Port=3307;User ID=coupondesk;Password=dev-only-coupondesk";
        var count = int.Parse(Option(args, "--count") ?? "20000", System.Globalization.CultureInfo.InvariantCulture);
        var history = int.Parse(Option(args, "--history") ?? "0", System.Globalization.CultureInfo.InvariantCulture);
        var database = $"cdb_reconcile_{Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(4))}";
        var connectionString = DbConnectionFactory.Normalize(new MySqlConnectionStringBuilder(server) { Database = database }.ConnectionString);
        var images = Path.Combine(Path.GetTempPath(), database);
        Console.WriteLine(MachineInfo.Describe());
        try
        {
            await using var services = BuildServices(connectionString, images);
            await services.GetRequiredService<DatabaseMigrator>().MigrateAsync();
            var connections = services.GetRequiredService<DbConnectionFactory>();
            await using (var connection = await connections.OpenAsync())
            {
                await services.GetRequiredService<SenderNumberRegistry>().EnsureRegisteredAsync(connection, "16000000", "bench", CancellationToken.None);
            }

            var sync = services.GetRequiredService<DeliveryResultSync>();
            if (history > 0)
            {
                var fill = Stopwatch.StartNew();
                await ResultHistory.FillAsync(connections, history);
                Console.WriteLine($"history: {history:N0} final messages and month-table rows in {fill.Elapsed.TotalSeconds:F0} s");
            }

            await ResultHistory.MeasureIdlePassAsync(connections, sync, $"idle pass, nothing queued, history {history:N0}");
            var image = await services.GetRequiredService<SnapImageStager>().StageAsync(SmallJpeg(), CancellationToken.None);
            var handOff = Stopwatch.StartNew();
            var writer = services.GetRequiredService<SnapMessageWriter>();
            foreach (var chunk in Enumerable.Range(0, count).Chunk(1000))
            {
                await using var connection = await connections.OpenAsync();
                await using var transaction = await connection.BeginTransactionAsync();
                await writer.QueueAsync(connection, transaction, [.. chunk.Select(i => new OutgoingMms
                {
                    Phone = $"0100{i / 10000 % 1000:D3}{i % 10000:D4}",
                    CallbackNumber = "16000000",
                    Title = "[벤치] 모바일 쿠폰",
                    Body = "벤치마크 메시지입니다.",
                    ImagePaths = [image],
                    CampaignId = 1,
                    RecipientId = i + 1,
                })], CancellationToken.None);
                await transaction.CommitAsync();
            }

            handOff.Stop();
            Console.WriteLine($"hand-off: {count:N0} messages queued in {handOff.Elapsed.TotalSeconds:F2} s ({count / handOff.Elapsed.TotalSeconds:N0}/s)");

            await ResultHistory.MeasureIdlePassAsync(connections, sync, $"pass over {count:N0} queued, none finished, history {history:N0}");
            await FinishAsAgentAsync(connections);
            var timer = Stopwatch.StartNew();
            var summary = await sync.RunOnceAsync(CancellationToken.None);
            timer.Stop();
            var goal = count <= 20000 ? 5 : 10;
            Console.WriteLine($"reconcile: {summary.Final:N0} results stored from {summary.Visited:N0} pending in {timer.Elapsed.TotalSeconds:F2} s (goal <= {goal} s)");
            var second = Stopwatch.StartNew();
            var again = await sync.RunOnceAsync(CancellationToken.None);
            Console.WriteLine($"second pass: {again.Final} new results, {second.Elapsed.TotalMilliseconds:F0} ms");
            return summary.Final == count && again.Final == 0 && timer.Elapsed <= TimeSpan.FromSeconds(goal) ? 0 : 1;
        }
        finally
        {
            MySqlConnection.ClearAllPools();
            await using var admin = new MySqlConnection(server);
            await admin.OpenAsync();
            await admin.ExecuteAsync($"DROP DATABASE IF EXISTS `{database}`");
            if (Directory.Exists(images))
            {
                Directory.Delete(images, recursive: true);
            }
        }
    }

    /// <summary>What the agent does: results on every row (92 % success, the rest failures and resend-recommended), half moved to the month table.</summary>
    private static async Task FinishAsAgentAsync(DbConnectionFactory connections)
    {
        await using var connection = await connections.OpenAsync();
        await connection.ExecuteAsync(
            """
            UPDATE UMS_MSG SET MSG_STATUS = 'complete', SENT_DATE = NOW(), DONE_CH = 'MMS', DONE_DATE = NOW(), DONE_TELCO = 'LGU',
                   DONE_CODE = CASE WHEN CAST(ETC1 AS UNSIGNED) % 25 = 0 THEN '31107' WHEN CAST(ETC1 AS UNSIGNED) % 25 = 1 THEN '31112' ELSE '10000' END,
                   DONE_CODE_DESC = CASE WHEN CAST(ETC1 AS UNSIGNED) % 25 = 0 THEN '전원 꺼짐' WHEN CAST(ETC1 AS UNSIGNED) % 25 = 1 THEN '통신사 내부 실패(무선망단)' ELSE '성공' END,
                   DONE_PRODUCT = 'MMS'
            """, commandTimeout: 300);
        var month = await connection.ExecuteScalarAsync<string>("SELECT DATE_FORMAT(NOW(), '%Y%m')");
        var log = UmsTableDdl.LogTableName(UmsTableDdl.DefaultLogTablePrefix, int.Parse(month![..4], System.Globalization.CultureInfo.InvariantCulture), int.Parse(month[4..], System.Globalization.CultureInfo.InvariantCulture));
        // Production prepares each month table ahead of the agent, with our key index (AgentLogTables); so does the bench.
        await connection.ExecuteAsync(UmsTableDdl.CreatePreparedLogTable(log));
        await connection.ExecuteAsync($"INSERT INTO {log} ({UmsTableDdl.ColumnNames}) SELECT {UmsTableDdl.ColumnNames} FROM UMS_MSG WHERE CAST(ETC1 AS UNSIGNED) % 2 = 0", commandTimeout: 300);
        await connection.ExecuteAsync("DELETE FROM UMS_MSG WHERE CAST(ETC1 AS UNSIGNED) % 2 = 0", commandTimeout: 300);
    }

    private static ServiceProvider BuildServices(string connectionString, string images)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Snap:ImageDirectory"] = images,
            ["Snap:EnvironmentLetter"] = "B",
            ["Snap:EnvironmentTag"] = "bench",
        }).Build();
        var services = BenchHost.BaseServices(connectionString);
        services.AddSnapMessaging(configuration);
        return services.BuildServiceProvider();
    }

    /// <summary>A JPEG-shaped file (SOI, frame header 720×960, EOI): the writer checks headers only.</summary>
    private static byte[] SmallJpeg() =>
    [
        0xFF, 0xD8, 0xFF, 0xC0, 0x00, 0x11, 0x08, 0x03, 0xC0, 0x02, 0xD0, 0x03, 0x01, 0x22, 0x00, 0x02, 0x11, 0x01, 0x03, 0x11, 0x01,
        0xFF, 0xD9,
    ];

    private static string? Option(string[] args, string name)
    {
        var i = Array.IndexOf(args, name);
        return i >= 0 && i + 1 < args.Length ? args[i + 1] : null;
    }
}
