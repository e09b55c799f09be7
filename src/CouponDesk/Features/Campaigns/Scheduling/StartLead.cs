namespace CouponDesk.Features.Campaigns.Scheduling;

/// <summary>
/// How long before its send time a campaign must start (spec §5.1): <c>lead = max(minimum, 1.5 × N ÷ R + 5 min)</c>,
/// N = its items plus the items of other campaigns prepared in the same window (the queue ahead), R = the end-to-end
/// preparation rate in items per minute (measured, or the configured default while nothing is measured).
/// </summary>
public sealed record StartLead(TimeSpan Lead, int OwnItems, int QueueAheadItems, double RatePerMinute, bool Measured)
{
    /// <summary>Spec §5.1's safety factor on the measured time.</summary>
    public const double SafetyFactor = 1.5;

    /// <summary>Spec §5.1's fixed allowance (start-up, the last batch, the agent's poll).</summary>
    public static readonly TimeSpan Allowance = TimeSpan.FromMinutes(5);

    public static TimeSpan Compute(int items, double ratePerMinute, TimeSpan minimum)
    {
        var computed = TimeSpan.FromMinutes(SafetyFactor * Math.Max(0, items) / ratePerMinute) + Allowance;
        return computed > minimum ? computed : minimum;
    }
}
