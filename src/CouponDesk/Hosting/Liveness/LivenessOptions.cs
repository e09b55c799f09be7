using System.ComponentModel.DataAnnotations;
using CouponDesk.Shared.Hosting;

namespace CouponDesk.Hosting.Liveness;

/// <summary>
/// How a process proves it is alive and how soon the others give its claims away (section <c>Liveness</c>, D-OPS-11).
/// Every process beats; a process silent for <see cref="DeadAfterSeconds"/>, or whose successor with the same
/// <see cref="InstanceName"/> started, is fenced and its leases and COUFUN call slots are released. A process whose own
/// last confirmed beat is older than <see cref="SelfFenceSeconds"/> makes no create call until it has beaten again, so
/// nobody can take its claims while it might still call.
/// </summary>
public sealed class LivenessOptions : ISelfValidatingSettings
{
    public const string Section = "Liveness";

    /// <summary>
    /// The stable identity of this process slot (e.g. <c>worker-1</c>, set by the service unit), kept across restarts:
    /// a process starting under a name fences the older process of that name at once. Empty: no successor rule, the
    /// heartbeat alone decides. Two live processes must never share a name (the older one stops itself).
    /// </summary>
    [RegularExpression("^[A-Za-z0-9._-]{1,64}$")]
    public string? InstanceName { get; set; }

    /// <summary>Beat interval, in milliseconds.</summary>
    [Range(100, 60_000)]
    public int BeatMilliseconds { get; set; } = 1000;

    /// <summary>No confirmed beat for this long: this process stops starting create calls until it beats again.</summary>
    [Range(1, 3600)]
    public int SelfFenceSeconds { get; set; } = 4;

    /// <summary>No beat for this long: the process is declared dead (fenced) and its claims are released.</summary>
    [Range(2, 3600)]
    public int DeadAfterSeconds { get; set; } = 10;

    /// <summary>
    /// Extra time, on top of <see cref="SelfFenceSeconds"/>, after a fenced process's last beat before its claims are
    /// released: covers clock-rate differences and the moment between the self-fence check and the request leaving.
    /// </summary>
    [Range(0, 3600)]
    public int ReleaseMarginSeconds { get; set; } = 2;

    public IEnumerable<string> Validate()
    {
        if (SelfFenceSeconds + ReleaseMarginSeconds > DeadAfterSeconds)
        {
            yield return "DeadAfterSeconds: must be at least SelfFenceSeconds + ReleaseMarginSeconds";
        }

        if (BeatMilliseconds * 2 > SelfFenceSeconds * 1000)
        {
            yield return "BeatMilliseconds: must be at most half of SelfFenceSeconds";
        }
    }
}
