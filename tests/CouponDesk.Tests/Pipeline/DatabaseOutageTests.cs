using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text.Json;
using CouponDesk.Data;
using CouponDesk.TestSupport;
using Dapper;
using MySqlConnector;

namespace CouponDesk.Tests.Pipeline;

/// <summary>
/// Issue 19: a worker whose database goes away says so once, backs off, and says once that it is back — instead of two
/// dozen loops each logging an error with a stack trace every poll interval. The real executable, its real log on stdout,
/// and MariaDB taken away by cutting a TCP relay in between.
/// </summary>
public sealed class DatabaseOutageTests
{
    [Fact]
    public void The_backoff_doubles_up_to_the_cap_with_jitter()
    {
        var poll = TimeSpan.FromMilliseconds(100);
        Assert.InRange(DatabaseOutage.Backoff(1, poll).TotalMilliseconds, 50, 100);
        Assert.InRange(DatabaseOutage.Backoff(4, poll).TotalMilliseconds, 400, 800);
        var capped = Enumerable.Range(0, 50).Select(_ => DatabaseOutage.Backoff(40, poll).TotalMilliseconds).ToList();
        Assert.All(capped, ms => Assert.InRange(ms, DatabaseOutage.MaxBackoff.TotalMilliseconds / 2, DatabaseOutage.MaxBackoff.TotalMilliseconds));
        Assert.True(capped.Distinct().Count() > 1, "no jitter");
    }

    [Fact]
    public void Connection_failures_are_outages_and_sql_errors_are_not()
    {
        Assert.True(DatabaseOutage.IsOutage(new InvalidOperationException("wrapped", new System.Net.Sockets.SocketException(111))));
        Assert.True(DatabaseOutage.IsOutage(new IOException("reset")));
        Assert.False(DatabaseOutage.IsOutage(new InvalidOperationException("a bug")));
    }

    [Fact]
    public async Task A_worker_logs_one_line_when_the_database_goes_away_and_one_when_it_returns()
    {
        await using var database = new TestDatabase();
        await database.MigrateAsync();
        var port = new MySqlConnectionStringBuilder(database.ConnectionString).Port;
        await using var relay = new TcpRelay((int)port);
        var throughRelay = new MySqlConnectionStringBuilder(database.ConnectionString) { Port = (uint)relay.Port, ConnectionTimeout = 2 }.ConnectionString;
        var scratch = TestSettings.NewScratchDirectory();
        var lines = new ConcurrentQueue<string>();

        using var process = StartWorker(scratch, throughRelay, lines);
        try
        {
            await WaitForAsync(async () => await HeartbeatsAsync(database) > 0, "the worker's first heartbeat");
            // Started, not starting: an outage during start-up stops the process (its service manager restarts it).
            await WaitForAsync(() => Task.FromResult(lines.Any(l => l.Contains("Application started"))), "the worker's start", () => string.Join('\n', lines.TakeLast(15)));
            var before = lines.Count;

            relay.Cut();
            await WaitForAsync(() => Task.FromResult(lines.Any(l => l.Contains("Database unreachable"))), "the outage line", () => string.Join('\n', lines.TakeLast(15)));
            // Long enough for the old loops (24 of them, 100 ms poll) to have logged hundreds of errors.
            await Task.Delay(TimeSpan.FromSeconds(6));
            relay.Restore();
            await WaitForAsync(() => Task.FromResult(lines.Any(l => l.Contains("Database reachable again"))), "the recovery line", () => string.Join('\n', lines.TakeLast(15)));

            var during = lines.Skip(before).Where(l => Level(l) is "Warning" or "Error" or "Fatal").Select(Message).ToList();
            Assert.True(during.Count == 2, "expected exactly two lines, got:\n" + string.Join('\n', during));
            Assert.StartsWith("Database unreachable", during[0]);
            Assert.StartsWith("Database reachable again", during[1]);
        }
        finally
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
            if (Directory.Exists(scratch))
            {
                Directory.Delete(scratch, recursive: true);
            }
        }
    }

    private static Process StartWorker(string scratch, string connectionString, ConcurrentQueue<string> lines)
    {
        var info = new ProcessStartInfo("dotnet", [Path.Combine(AppContext.BaseDirectory, "CouponDesk.dll")])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = scratch,
        };
        Directory.CreateDirectory(scratch);
        foreach (var (key, value) in TestSettings.BackOffice(new TestDatabase(), scratch))
        {
            info.Environment[key.Replace(":", "__", StringComparison.Ordinal)] = value;
        }

        info.Environment["ASPNETCORE_ENVIRONMENT"] = "Testing";
        info.Environment["ASPNETCORE_URLS"] = "http://127.0.0.1:0";
        info.Environment["Database__ConnectionString"] = connectionString;
        info.Environment["CouponDesk__Roles"] = "worker";
        info.Environment["Pipeline__PollIntervalMs"] = "100";
        info.Environment["Serilog__MinimumLevel__Default"] = "Information";
        var process = Process.Start(info)!;
        process.OutputDataReceived += (_, e) => { if (e.Data is not null) { lines.Enqueue(e.Data); } };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) { lines.Enqueue(e.Data); } };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return process;
    }

    private static string? Level(string line) =>
        line.StartsWith('{') ? (JsonDocument.Parse(line).RootElement.TryGetProperty("@l", out var l) ? l.GetString() : "Information") : "Error";

    private static string Message(string line) =>
        line.StartsWith('{') ? JsonDocument.Parse(line).RootElement.GetProperty("@m").GetString() ?? "" : line;

    private static async Task<int> HeartbeatsAsync(TestDatabase database)
    {
        await using var c = await database.OpenAsync();
        return await c.ExecuteScalarAsync<int>("SELECT COUNT(*) FROM worker_heartbeats");
    }

    private static async Task WaitForAsync(Func<Task<bool>> condition, string what, Func<string>? lastLines = null)
    {
        for (var i = 0; i < 600; i++)
        {
            if (await condition())
            {
                return;
            }

            await Task.Delay(100);
        }

        throw new TimeoutException("waited in vain for " + what + (lastLines is null ? "" : "; the worker's last lines:\n" + lastLines()));
    }
}
