using Dapper;
using MySqlConnector;

namespace CouponDesk.Data.Leases;

/// <summary>
/// "Only one process at a time does X" across every process and every database node: a row per name in
/// <c>named_leases</c>, claimed the way the pipeline claims its work (<c>lease_token</c>, <c>lease_until</c>). A claim
/// is one conditional UPDATE (free or expired → ours), so it is an ordinary replicated row write: on a Galera cluster
/// two claims on two nodes conflict at certification and exactly one commits — unlike <c>GET_LOCK</c>, which each node
/// grants on its own. Times come from the database clock (<c>UTC_TIMESTAMP(6)</c>), so processes on machines with
/// skewed clocks agree. A holder that dies keeps the lease until <c>lease_until</c>; a live holder renews it (see
/// <see cref="NamedLease"/>).
/// </summary>
public sealed class NamedLeases(DbConnectionFactory connections, ILogger<NamedLeases> logger)
{
    public const string Table = "named_leases";

    /// <summary>The table, created before the first migration (the migration lease lives in it).</summary>
    public const string CreateTableSql = """
        CREATE TABLE IF NOT EXISTS named_leases (
          name VARCHAR(100) NOT NULL,
          lease_token CHAR(32) NULL,
          lease_until DATETIME(6) NULL,
          holder VARCHAR(200) NULL COMMENT 'host and process id of the holder, for people reading the table',
          acquired_at DATETIME(6) NULL,
          PRIMARY KEY (name)
        ) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci
        """;

    private static readonly string Holder = $"{Environment.MachineName}:{Environment.ProcessId}";

    /// <summary>Claims <paramref name="name"/> for <paramref name="duration"/> when it is free or expired; null when someone holds it.</summary>
    public async Task<NamedLease?> TryAcquireAsync(string name, TimeSpan duration, CancellationToken ct)
    {
        var token = Guid.NewGuid().ToString("N");
        var claimed = await DeadlockRetry.RunAsync(async () =>
        {
            await using var c = await connections.OpenAsync(ct);
            await c.ExecuteAsync(new CommandDefinition($"INSERT IGNORE INTO {Table} (name) VALUES (@name)", new { name }, cancellationToken: ct));
            return await c.ExecuteAsync(new CommandDefinition(
                $"""
                UPDATE {Table} SET lease_token = @token, lease_until = UTC_TIMESTAMP(6) + INTERVAL @ms * 1000 MICROSECOND,
                  holder = @holder, acquired_at = UTC_TIMESTAMP(6)
                WHERE name = @name AND (lease_token IS NULL OR lease_until < UTC_TIMESTAMP(6))
                """, new { name, token, ms = (long)duration.TotalMilliseconds, holder = Holder }, cancellationToken: ct));
        }, logger, $"lease {name}: claim");
        return claimed == 1 ? new NamedLease(this, name, token, duration, logger) : null;
    }

    /// <summary>Waits up to <paramref name="wait"/> for <paramref name="name"/>, polling every second; throws when it stays taken.</summary>
    public async Task<NamedLease> AcquireAsync(string name, TimeSpan duration, TimeSpan wait, CancellationToken ct)
    {
        var deadline = DateTime.UtcNow + wait;
        while (true)
        {
            if (await TryAcquireAsync(name, duration, ct) is { } lease)
            {
                return lease;
            }

            if (DateTime.UtcNow >= deadline)
            {
                throw new TimeoutException($"lease '{name}' is still held by {await HolderAsync(name, ct) ?? "another process"} after {wait.TotalSeconds:F0} s");
            }

            await Task.Delay(TimeSpan.FromSeconds(1), ct);
        }
    }

    /// <summary>Who holds <paramref name="name"/> now (host:pid), or null when nobody does.</summary>
    public async Task<string?> HolderAsync(string name, CancellationToken ct)
    {
        await using var c = await connections.OpenAsync(ct);
        return await c.ExecuteScalarAsync<string?>(new CommandDefinition(
            $"SELECT holder FROM {Table} WHERE name = @name AND lease_token IS NOT NULL AND lease_until >= UTC_TIMESTAMP(6)", new { name }, cancellationToken: ct));
    }

    /// <summary>Extends the lease while it is still ours; false when it was lost (expired and taken, or released).</summary>
    internal async Task<bool> RenewAsync(string name, string token, TimeSpan duration, CancellationToken ct) =>
        await DeadlockRetry.RunAsync(async () =>
        {
            await using var c = await connections.OpenAsync(ct);
            return await c.ExecuteAsync(new CommandDefinition(
                $"UPDATE {Table} SET lease_until = UTC_TIMESTAMP(6) + INTERVAL @ms * 1000 MICROSECOND WHERE name = @name AND lease_token = @token",
                new { name, token, ms = (long)duration.TotalMilliseconds }, cancellationToken: ct));
        }, logger, $"lease {name}: renew") == 1;

    internal async Task ReleaseAsync(string name, string token)
    {
        await DeadlockRetry.RunAsync(async () =>
        {
            await using var c = await connections.OpenAsync(CancellationToken.None);
            return await c.ExecuteAsync($"UPDATE {Table} SET lease_token = NULL, lease_until = NULL WHERE name = @name AND lease_token = @token", new { name, token });
        }, logger, $"lease {name}: release");
    }

    /// <summary>
    /// Orders transactions that decide from many rows and then write elsewhere (write skew: "is this the last active
    /// ADMIN?" in two transactions that each demote a different one). On one server their <c>FOR UPDATE</c> locks
    /// already serialise them; on a Galera cluster locks are local to a node, so each also writes this name's row: two
    /// such transactions on two nodes are then certified in one order and the later one fails with 1213 and is run
    /// again (by its <see cref="DeadlockRetry"/>), seeing the first one's change.
    /// </summary>
    public static Task SerializeAsync(MySqlConnection c, MySqlTransaction tx, string name, CancellationToken ct) =>
        c.ExecuteAsync(new CommandDefinition(
            $"INSERT INTO {Table} (name, holder, acquired_at) VALUES (@name, 'serialization point', UTC_TIMESTAMP(6)) ON DUPLICATE KEY UPDATE acquired_at = UTC_TIMESTAMP(6)",
            new { name }, tx, cancellationToken: ct));

    /// <summary>Creates the table when it is missing (checked first: a no-op DDL would still be replicated cluster-wide).</summary>
    public static async Task EnsureTableAsync(MySqlConnection c, CancellationToken ct)
    {
        var exists = await c.ExecuteScalarAsync<int>(new CommandDefinition(
            "SELECT COUNT(*) FROM information_schema.tables WHERE table_schema = DATABASE() AND table_name = @Table", new { Table }, cancellationToken: ct));
        if (exists == 0)
        {
            await c.ExecuteAsync(new CommandDefinition(CreateTableSql, cancellationToken: ct));
        }
    }
}

/// <summary>
/// A held lease. It renews itself every third of its duration until disposed (then it is released at once); when a
/// renewal finds it gone — the process stalled past <c>lease_until</c> and another took it — <see cref="Lost"/> is
/// cancelled, so the work under it stops instead of running twice.
/// </summary>
public sealed class NamedLease : IAsyncDisposable
{
    private readonly NamedLeases leases;
    private readonly TimeSpan duration;
    private readonly ILogger logger;
    private readonly CancellationTokenSource lost = new();
    private readonly CancellationTokenSource stop = new();
    private readonly Task renewing;

    internal NamedLease(NamedLeases leases, string name, string token, TimeSpan duration, ILogger logger)
    {
        this.leases = leases;
        Name = name;
        Token = token;
        this.duration = duration;
        this.logger = logger;
        renewing = RenewLoopAsync();
    }

    public string Name { get; }

    public string Token { get; }

    /// <summary>Cancelled when the lease was found taken by someone else.</summary>
    public CancellationToken Lost => lost.Token;

    public async ValueTask DisposeAsync()
    {
        await stop.CancelAsync();
        await renewing;
        if (!lost.IsCancellationRequested)
        {
            try
            {
                await leases.ReleaseAsync(Name, Token);
            }
            catch (MySqlException ex)
            {
                // Not fatal: the lease runs out by itself.
                logger.LogWarning(ex, "Lease {Lease} could not be released; it expires on its own", Name);
            }
        }

        stop.Dispose();
        lost.Dispose();
    }

    private async Task RenewLoopAsync()
    {
        var every = duration / 3;
        while (true)
        {
            try
            {
                await Task.Delay(every, stop.Token);
                if (!await leases.RenewAsync(Name, Token, duration, stop.Token))
                {
                    logger.LogError("Lease {Lease} was lost (another process holds it now); stopping the work under it", Name);
                    await lost.CancelAsync();
                    return;
                }
            }
            catch (OperationCanceledException) when (stop.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex) when (ex is MySqlException or TimeoutException or InvalidOperationException)
            {
                // A node restart or a network blip: keep trying until the lease would have run out.
                logger.LogWarning(ex, "Lease {Lease} could not be renewed; trying again", Name);
            }
        }
    }
}
