using CouponDesk.Hosting.Liveness;
using Dapper;
using MySqlConnector;

namespace CouponDesk.Features.Pipeline.Leases;

/// <summary>
/// Releases the pipeline's leases of a dead process (D-23.1): its orders in flight, its render/queue and resend batches
/// and its coupon cancels become claimable now. Only the lease's end moves into the past; the token stays, so the dead
/// process's own guarded writes still fail once another worker has re-claimed (new token) and an order in flight is
/// re-claimed as "answer lost" (same TR_ID), exactly as after its lease ran out.
/// </summary>
public sealed class DeadOwnerLeases : ILeaseRelease
{
    /// <summary>Any time before every real lease: the claims' <c>lease_until &lt; now</c> conditions take the row.</summary>
    private static readonly DateTime Expired = new(2000, 1, 1, 0, 0, 0, DateTimeKind.Utc);

    public int ReleaseOwner(MySqlConnection connection, string owner)
    {
        var prefix = owner + "%";
        return connection.Execute(
                "UPDATE issuance_orders SET lease_until = @Expired WHERE status = 'REQUESTED' AND lease_token LIKE @prefix AND lease_until > @Expired",
                new { prefix, Expired })
            + connection.Execute(
                "UPDATE delivery_items SET lease_until = @Expired WHERE lease_token LIKE @prefix AND lease_until > @Expired", new { prefix, Expired })
            + connection.Execute(
                "UPDATE coupon_cancels SET lease_until = @Expired WHERE lease_token LIKE @prefix AND lease_until > @Expired", new { prefix, Expired });
    }
}
