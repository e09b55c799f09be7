using MySqlConnector;

namespace CouponDesk.Hosting.Liveness;

/// <summary>
/// A feature whose tables hold leases: releases every lease of a dead process at once (its token starts with the
/// process's owner prefix), so the work is claimed again now instead of when the lease would have run out.
/// Called on the liveness reaper thread; must be idempotent (several processes may release the same owner). Rows the dead
/// process still has locked (a paused process keeps its open transaction) are skipped, not waited for, and counted in
/// <see cref="LeaseRelease.StillLocked"/>: the reaper tries them again next round.
/// </summary>
public interface ILeaseRelease
{
    LeaseRelease ReleaseOwner(MySqlConnection connection, string owner);
}

/// <summary>Claims released now, and claims of the dead owner left for the next round because a transaction holds them.</summary>
public readonly record struct LeaseRelease(int Released, int StillLocked)
{
    public static LeaseRelease operator +(LeaseRelease a, LeaseRelease b) => new(a.Released + b.Released, a.StillLocked + b.StillLocked);
}

/// <summary>A fenced process's claims will not be used by it again (it has stopped itself or is gone).</summary>
public sealed class ProcessFencedException() : InvalidOperationException("this process was declared dead by its peers and makes no more COUFUN create calls");

/// <summary>What shared slots need to know about liveness: this process's owner prefix and the owners known dead.</summary>
public interface ISlotOwners
{
    string Owner { get; }

    IReadOnlyList<string> ReleasedOwners { get; }

    /// <summary>
    /// Live processes that may call COUFUN (this one included; at least 1), as last counted from the heartbeats: a
    /// limit shared through Redis is split among them while Redis is away (issue 22, D-FAULT-1).
    /// </summary>
    int CallingProcesses => 1;
}

/// <summary>Whether a COUFUN create call may leave this process now (its last beat is fresh and it is not fenced).</summary>
public interface ICreateCallPermit
{
    /// <summary>Waits until a create may start; throws <see cref="ProcessFencedException"/> once this process is fenced.</summary>
    Task WaitUntilMayCallAsync(CancellationToken ct);
}
