using CouponDesk.Data;
using CouponDesk.Hosting.Liveness;
using Dapper;
using Microsoft.Extensions.Logging.Abstractions;
using MySqlConnector;

namespace CouponDesk.Features.Pipeline.Leases;

/// <summary>A table whose rows workers claim with a lease (<c>lease_token</c> CHAR(32), <c>lease_until</c> DATETIME(6)).</summary>
public sealed record LeaseTable(string Name, string Key)
{
    public static readonly LeaseTable DeliveryItems = new("delivery_items", "id");

    public static readonly LeaseTable CouponCancels = new("coupon_cancels", "coupon_id");
}

/// <summary>What a claim got: its lease token, the claimed keys and the work read for them (empty when nothing was due).</summary>
public sealed record LeaseClaimed<TWork>(string Token, long[] Ids, List<TWork> Work);

/// <summary>
/// The pipeline's claim pattern in one place (D-PIPE-1, D-PIPE-20, D-PIPE-25): a short transaction locks due rows with the
/// caller's <c>… FOR UPDATE SKIP LOCKED</c> select, stamps them with a fresh lease token and commits; only THEN is the
/// work read, by key and token, in a fresh snapshot. A read inside the claim transaction would see its REPEATABLE READ
/// snapshot, which can be older than the rows the locking select just took (rows another worker committed in between
/// are missing from joins): claimed items then sat leased and unworked until the lease ran out.
/// </summary>
public static class LeaseClaim
{
    /// <param name="lockSql">Selects the keys to claim, locking them (<c>FOR UPDATE SKIP LOCKED</c>); its parameters are <paramref name="lockArgs"/>.</param>
    /// <param name="readSql">Reads the work of the claimed rows; gets <c>@ids</c> and <c>@token</c> and must filter on both.</param>
    /// <param name="owner">This process: the lease token starts with its owner prefix, so a dead process's claims can be released (D-OPS-11).</param>
    /// <remarks>
    /// On a Galera cluster the <c>SKIP LOCKED</c> select only sees this node's locks: two workers on two nodes may select
    /// the same rows; the lease UPDATE makes both write them, so certification lets one commit and the other gets 1213 —
    /// then the claim runs again whole (<see cref="DeadlockRetry"/>) and finds those rows taken.
    /// </remarks>
    public static async Task<LeaseClaimed<TWork>> ClaimAsync<TWork>(
        MySqlConnection c, ProcessIdentity owner, LeaseTable table, string lockSql, object lockArgs, string readSql, DateTime leaseUntil, CancellationToken ct)
    {
        var token = owner.NewLeaseToken();
        var ids = await DeadlockRetry.RunAsync(async () =>
        {
            await using var tx = await c.BeginTransactionAsync(ct);
            var locked = (await c.QueryAsync<long>(new CommandDefinition(lockSql, lockArgs, tx, cancellationToken: ct))).ToArray();
            if (locked.Length > 0)
            {
                await c.ExecuteAsync(new CommandDefinition($"UPDATE {table.Name} SET lease_token = @token, lease_until = @leaseUntil WHERE {table.Key} IN @ids",
                    new { token, leaseUntil, ids = locked }, tx, cancellationToken: ct));
            }

            await tx.CommitAsync(ct);
            return locked;
        }, NullLogger.Instance, $"lease claim {table.Name}");
        if (ids.Length == 0)
        {
            return new LeaseClaimed<TWork>(token, [], []);
        }

        var work = (await c.QueryAsync<TWork>(new CommandDefinition(readSql, new { ids, token }, cancellationToken: ct))).ToList();
        return new LeaseClaimed<TWork>(token, ids, work);
    }

    /// <summary>
    /// Runs a claimed batch's work; when its transaction is rolled back as a deadlock victim or after a lock-wait timeout,
    /// the claim is handed back at once, so the next pass (of any worker) tries again instead of waiting out the lease.
    /// </summary>
    public static async Task ReleaseOnRollbackAsync(
        DbConnectionFactory connections, LeaseTable table, IEnumerable<long> ids, string token, Func<Task> work, Action<MySqlErrorCode> rolledBack, CancellationToken ct)
    {
        try
        {
            await work();
        }
        catch (MySqlException ex) when (ex.ErrorCode is MySqlErrorCode.LockDeadlock or MySqlErrorCode.LockWaitTimeout)
        {
            rolledBack(ex.ErrorCode);
            await using var c = await connections.OpenAsync(ct);
            await ReleaseAsync(c, null, table, ids, token, ct);
        }
    }

    /// <summary>Hands claimed rows back at once (instead of after the lease); only rows still under <paramref name="token"/>.</summary>
    public static Task<int> ReleaseAsync(MySqlConnection c, MySqlTransaction? tx, LeaseTable table, IEnumerable<long> ids, string token, CancellationToken ct) =>
        c.ExecuteAsync(new CommandDefinition($"UPDATE {table.Name} SET lease_token = NULL, lease_until = NULL WHERE {table.Key} IN @ids AND lease_token = @token",
            new { ids = ids.ToArray(), token }, tx, cancellationToken: ct));
}
