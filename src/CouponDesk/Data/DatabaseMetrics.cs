using System.Diagnostics.Metrics;

namespace CouponDesk.Data;

/// <summary>
/// The process's database counters, on the <c>CouponDesk</c> meter (System.Diagnostics.Metrics), for any exporter to
/// collect. Running totals are kept beside them so the health endpoint can show them without a listener.
/// </summary>
public static class DatabaseMetrics
{
    public const string MeterName = "CouponDesk";

    public static readonly Meter Meter = new(MeterName);

    private static readonly Counter<long> ConflictRetries = Meter.CreateCounter<long>(
        "coupondesk.db.conflict_retries", "{transaction}",
        "Transactions rolled back by a deadlock or a Galera certification conflict (error 1213) and run again whole");

    private static readonly Counter<long> ConflictGiveUps = Meter.CreateCounter<long>(
        "coupondesk.db.conflict_give_ups", "{transaction}",
        "Transactions that lost every attempt to a deadlock or certification conflict; the error went to the caller");

    private static long retried;
    private static long gaveUp;

    /// <summary>Conflicts retried since the process started.</summary>
    public static long ConflictsRetried => Interlocked.Read(ref retried);

    /// <summary>Units that still lost after the last attempt, since the process started.</summary>
    public static long ConflictsGivenUp => Interlocked.Read(ref gaveUp);

    internal static void Retried(string unit)
    {
        Interlocked.Increment(ref retried);
        ConflictRetries.Add(1, new KeyValuePair<string, object?>("unit", unit));
    }

    internal static void GaveUp(string unit)
    {
        Interlocked.Increment(ref gaveUp);
        ConflictGiveUps.Add(1, new KeyValuePair<string, object?>("unit", unit));
    }
}
