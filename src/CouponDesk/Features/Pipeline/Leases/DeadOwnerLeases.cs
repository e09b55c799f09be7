using CouponDesk.Hosting.Liveness;
using Dapper;
using MySqlConnector;

namespace CouponDesk.Features.Pipeline.Leases;

/// <summary>
/// Releases the pipeline's leases of a dead process (D-OPS-11): its orders in flight, its render/queue and resend batches
/// and its coupon cancels become claimable now. Only the lease's end moves into the past; the token stays, so the dead
/// process's own guarded writes still fail once another worker has re-claimed (new token) and an order in flight is
/// re-claimed as "answer lost" (same TR_ID), exactly as after its lease ran out.
/// </summary>
public sealed class DeadOwnerLeases : ILeaseRelease
{
    /// <summary>Any time before every real lease: the claims' <c>lease_until &lt; now</c> conditions take the row.</summary>
    private static readonly DateTime Expired = new(2000, 1, 1, 0, 0, 0, DateTimeKind.Utc);

    public LeaseRelease ReleaseOwner(MySqlConnection connection, string owner)
    {
        var prefix = owner + "%";
        return Release(connection, "issuance_orders", "id", $"status = '{OrderStatus.Requested}' AND lease_token LIKE @prefix AND lease_until > @Expired", prefix)
            + Release(connection, "delivery_items", "id", "lease_token LIKE @prefix AND lease_until > @Expired", prefix)
            + Release(connection, "coupon_cancels", "coupon_id", "lease_token LIKE @prefix AND lease_until > @Expired", prefix);
    }

    /// <summary>Expires the owner's leases in one table, skipping rows a transaction holds (counted, for the next round).</summary>
    private static LeaseRelease Release(MySqlConnection connection, string table, string key, string owned, string prefix)
    {
        using var transaction = connection.BeginTransaction();
        var free = connection.Query<long>($"SELECT {key} FROM {table} WHERE {owned} FOR UPDATE SKIP LOCKED", new { prefix, Expired }, transaction).ToList();
        if (free.Count > 0)
        {
            connection.Execute($"UPDATE {table} SET lease_until = @Expired WHERE {key} IN @free", new { Expired, free }, transaction);
        }

        transaction.Commit();
        var locked = connection.ExecuteScalar<int>($"SELECT COUNT(*) FROM {table} WHERE {owned}", new { prefix, Expired });
        return new LeaseRelease(free.Count, locked);
    }
}
