using System.Diagnostics;
using System.Security.Cryptography;
using CouponDesk.Data;
using CouponDesk.Features.Audit;
using CouponDesk.Features.Auth;
using Dapper;
using Microsoft.Extensions.Logging.Abstractions;
using MySqlConnector;

namespace CouponDesk.Bench;

/// <summary>
/// Costs the accounts feature adds: bcrypt per login at the spec's work factors, the per-request session check, and
/// audit appends through the hash chain with one and with eight concurrent writers.
/// Usage: <c>accounts --server "Server=127.0.0.1;Port=3307;User ID=coupondesk;Password=…"</c> (a temporary database is created and dropped).
/// Goals: session check p95 ≤ 5 ms; audit ≥ 300 appends/s with 8 writers.
/// </summary>
public sealed class AccountsBenchmark : IBenchmark
{
    public string Description => "bcrypt per login, session check per request, audit chain appends (needs --server)";

    public async Task<int> RunAsync(string[] args)
    {
        var index = Array.IndexOf(args, "--server");
        var server = index >= 0 && index + 1 < args.Length ? args[index + 1] : Environment.GetEnvironmentVariable("COUPONDESK_TEST_DB");
        if (string.IsNullOrEmpty(server))
        {
            Console.Error.WriteLine("accounts needs --server CONNECTION_STRING (without Database)");
            return 64;
        }

        Console.WriteLine(MachineInfo.Describe());
        foreach (var cost in new[] { 11, 12 })
        {
            var hash = BCrypt.Net.BCrypt.HashPassword("Quiet-River-2047", cost);
            var watch = Stopwatch.StartNew();
            for (var i = 0; i < 5; i++)
            {
                BCrypt.Net.BCrypt.Verify("Quiet-River-2047", hash);
            }

            Console.WriteLine($"bcrypt verify at cost {cost}: {watch.Elapsed.TotalMilliseconds / 5:F0} ms per login");
        }

        var database = $"cdb_bench_{Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(4))}";
        var connections = new DbConnectionFactory(new DatabaseOptions { ConnectionString = new MySqlConnectionStringBuilder(server) { Database = database }.ConnectionString });
        await new DatabaseMigrator(connections, NullLogger<DatabaseMigrator>.Instance).MigrateAsync();
        try
        {
            var audit = new AuditTrail(connections, new AuditChain(new AuditOptions { ChainKey = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)) }), TimeProvider.System);
            var p95 = await SessionCheckAsync(connections, audit);
            var single = await AppendAsync(audit, writers: 1, perWriter: 1000);
            var concurrent = await AppendAsync(audit, writers: 8, perWriter: 250);
            Console.WriteLine($"audit appends: {single:F0}/s with 1 writer, {concurrent:F0}/s with 8 writers");
            return p95 <= 5 && concurrent >= 300 ? 0 : 1;
        }
        finally
        {
            MySqlConnection.ClearAllPools();
            await using var connection = new MySqlConnection(server);
            await connection.OpenAsync();
            await connection.ExecuteAsync($"DROP DATABASE IF EXISTS `{database}`");
        }
    }

    private static async Task<double> SessionCheckAsync(DbConnectionFactory connections, AuditTrail audit)
    {
        var sessions = new SessionStore(connections, new SessionOptions(), audit, TimeProvider.System);
        await using var connection = await connections.OpenAsync();
        var userId = await connection.ExecuteScalarAsync<long>(
            "INSERT INTO users (login_id, login_id_key, password_hash, role, status, created_at, updated_at) VALUES ('bench1', 'bench1', 'x', 'VIEWER', 'ACTIVE', UTC_TIMESTAMP(6), UTC_TIMESTAMP(6)); SELECT LAST_INSERT_ID();");
        await using var transaction = await connection.BeginTransactionAsync();
        var (sessionId, _, _) = await sessions.CreateAsync(connection, transaction, userId, "127.0.0.1", "bench");
        await transaction.CommitAsync();
        var timings = new List<double>();
        for (var i = 0; i < 2000; i++)
        {
            var watch = Stopwatch.StartNew();
            var check = await sessions.CheckAndTouchAsync(sessionId);
            timings.Add(watch.Elapsed.TotalMilliseconds);
            if (check.Session is null)
            {
                throw new InvalidOperationException("session rejected: " + check.Rejection);
            }
        }

        timings.Sort();
        var p95 = timings[(int)(timings.Count * 0.95)];
        Console.WriteLine($"session check per request: mean {timings.Average():F2} ms, p95 {p95:F2} ms (2000 requests)");
        return p95;
    }

    private static async Task<double> AppendAsync(AuditTrail audit, int writers, int perWriter)
    {
        var watch = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, writers).Select(w => Task.Run(async () =>
        {
            for (var i = 0; i < perWriter; i++)
            {
                await audit.WriteAsync(new AuditEntry { Action = "bench.event", ActorLogin = "bench", TargetType = "campaign", TargetId = $"{w}-{i}", Subject = "010-****-1234" });
            }
        })));
        return writers * perWriter / watch.Elapsed.TotalSeconds;
    }
}
