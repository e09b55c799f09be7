using MySqlConnector;

namespace CouponDesk.Hosting.Liveness;

/// <summary>
/// A feature whose tables hold leases: releases every lease of a dead process at once (its token starts with the
/// process's owner prefix), so the work is claimed again now instead of when the lease would have run out.
/// Called on the liveness thread; must be idempotent (several processes may release the same owner).
/// </summary>
public interface ILeaseRelease
{
    /// <summary>Returns how many claims were released.</summary>
    int ReleaseOwner(MySqlConnection connection, string owner);
}

/// <summary>A fenced process's claims will not be used by it again (it has stopped itself or is gone).</summary>
public sealed class ProcessFencedException() : InvalidOperationException("this process was declared dead by its peers and makes no more COUFUN create calls");

/// <summary>What shared slots need to know about liveness: this process's owner prefix and the owners known dead.</summary>
public interface ISlotOwners
{
    string Owner { get; }

    IReadOnlyList<string> ReleasedOwners { get; }
}
