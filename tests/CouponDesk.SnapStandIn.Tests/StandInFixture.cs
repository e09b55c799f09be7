using CouponDesk.Shared.Snap;
using CouponDesk.TestSupport;
using Dapper;
using MySqlConnector;

namespace CouponDesk.SnapStandIn.Tests;

/// <summary>
/// A database of its own, an agent home and an image folder, and helpers to play the back office (INSERT rows as
/// spec/snap-agent.md §13 shows) and to start/stop the stand-in on a loopback port.
/// </summary>
public sealed class StandInFixture : IAsyncLifetime
{
    public const string Callback = "16000000";

    private static long sequence = DateTime.UtcNow.Ticks % 1_000_000_000;

    public TestDatabase Database { get; } = new();

    public string Root { get; } = Path.Combine(Path.GetTempPath(), "cd-standin-" + Guid.NewGuid().ToString("N")[..8]);

    public string Home => Path.Combine(Root, "home");

    public string Images => Path.Combine(Root, "images");

    public async Task InitializeAsync()
    {
        await Database.CreateEmptyAsync();
        Directory.CreateDirectory(Images);
        await using var connection = await Database.OpenAsync();
        await connection.ExecuteAsync(UmsTableDdl.CreateSendTable(UmsTableDdl.DefaultSendTable));
    }

    public async Task DisposeAsync()
    {
        await Database.DisposeAsync();
        Directory.Delete(Root, recursive: true);
    }

    public IEnumerable<KeyValuePair<string, string?>> Settings(params (string Key, string Value)[] overrides)
    {
        var settings = new Dictionary<string, string?>
        {
            ["environment"] = "Testing", // the test server's password is a development default, refused in Production
            ["Agent:ConnectionString"] = Database.ConnectionString,
            ["Agent:Home"] = Home,
            ["Agent:PollIntervalMs"] = "100",
            ["Agent:Tps"] = "2000",
            ["Agent:DeliveryDelayMinMs"] = "0",
            ["Agent:DeliveryDelayMaxMs"] = "200",
            ["Agent:RegisteredCallbackNumbers:0"] = Callback,
            ["Serilog:MinimumLevel:Default"] = "Warning",
        };
        foreach (var (key, value) in overrides)
        {
            settings[key] = value;
        }

        return settings;
    }

    public Task<LoopbackHost> StartAsync(params (string Key, string Value)[] overrides) =>
        LoopbackHost.StartAsync(SnapStandInApp.Build, Settings(overrides));

    public static string NewKey() => $"CDT261125{Interlocked.Increment(ref sequence):D10}";

    public async Task<string> ImageAsync(byte[]? content = null, string extension = ".jpg")
    {
        var path = Path.Combine(Images, Guid.NewGuid().ToString("N") + extension);
        await File.WriteAllBytesAsync(path, content ?? TestJpeg.Create());
        return path;
    }

    /// <summary>Inserts one MMS row as the back office does; <paramref name="reqDate"/> is SQL (default <c>NOW()</c>).</summary>
    public async Task<string> InsertAsync(
        string phone = "01000000001", string? files = null, string title = "[테스트] 쿠폰", string msg = "쿠폰이 도착했습니다.",
        string callback = Callback, string reqDate = "NOW()", string? traffic = "normal", string channel = "MMS", string? key = null)
    {
        key ??= NewKey();
        files ??= await ImageAsync();
        await using var connection = await Database.OpenAsync();
        await WithDeadlockRetryAsync(() => connection.ExecuteAsync(
            $"""
            INSERT INTO UMS_MSG (CLIENT_KEY, REQ_CH, TRAFFIC_TYPE, MSG_STATUS, REQ_DATE, CALLBACK_NUMBER, PHONE, TITLE, MSG,
                                 MMS_FILE_LIST, ETC1, ETC6)
            VALUES (@key, @channel, @traffic, 'ready', {reqDate}, @callback, @phone, @title, @msg, @files, '1', 'test')
            """,
            new { key, channel, traffic, callback, phone, title, msg, files = files.Length == 0 ? null : files }));
        return key;
    }

    /// <summary>As the pipeline's writer does (spec §5.4 insert retries): a deadlock with the agent's claim is retried.</summary>
    private static async Task WithDeadlockRetryAsync(Func<Task<int>> action)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await action();
                return;
            }
            catch (MySqlException ex) when (ex.ErrorCode == MySqlErrorCode.LockDeadlock && attempt < 5)
            {
                await Task.Delay(50 * attempt);
            }
        }
    }

    public async Task<MySqlConnection> OpenAsync() => await Database.OpenAsync();

    public async Task<T> ScalarAsync<T>(string sql, object? args = null)
    {
        await using var connection = await Database.OpenAsync();
        return (await connection.ExecuteScalarAsync<T>(sql, args))!;
    }

    /// <summary>The row for a key wherever it is (send table or any month table).</summary>
    public async Task<dynamic?> FindAsync(string key)
    {
        await using var connection = await Database.OpenAsync();
        var logs = await connection.QueryAsync<string>(
            "SELECT TABLE_NAME FROM information_schema.TABLES WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME LIKE 'UMS\\_LOG\\_%'");
        foreach (var table in logs.Prepend("UMS_MSG"))
        {
            var row = await connection.QueryFirstOrDefaultAsync($"SELECT *, '{table}' AS SOURCE_TABLE FROM {table} WHERE CLIENT_KEY = @key", new { key });
            if (row is not null)
            {
                return row;
            }
        }

        return null;
    }

    /// <summary>Waits until <paramref name="condition"/> holds (polling the database), or fails after <paramref name="seconds"/>.</summary>
    public static async Task WaitUntilAsync(Func<Task<bool>> condition, int seconds = 30, string what = "condition")
    {
        var deadline = DateTime.UtcNow.AddSeconds(seconds);
        while (!await condition())
        {
            if (DateTime.UtcNow > deadline)
            {
                Assert.Fail($"timed out waiting for {what}");
            }

            await Task.Delay(100);
        }
    }

    public async Task<dynamic> WaitForLogAsync(string key)
    {
        dynamic? row = null;
        await WaitUntilAsync(async () => (row = await FindAsync(key)) is not null && ((string)row.SOURCE_TABLE).StartsWith("UMS_LOG_", StringComparison.Ordinal), what: "the row to reach a month table");
        return row!;
    }
}
