namespace CouponDesk.CoufunStandIn.Push;

/// <summary>
/// The usage simulator (section <c>StandIn:Simulator</c>, replaceable through <c>PUT /_control/simulator</c>): issued
/// coupons are used, partly used (AMOUNT), use-cancelled or cancelled on the supplier's side over time, and for a share
/// of coupons the exchange push is lost (recorded as never sent), so the back office's status sync has something to
/// find. Seeded: the same seed on the same ledger gives the same events.
/// </summary>
public sealed class SimulatorSettings
{
    public bool Enabled { get; set; }

    public int Seed { get; set; } = 17;

    /// <summary>Events per minute while enabled (the background loop); <c>POST /_control/simulator/step</c> runs events on demand.</summary>
    public double EventsPerMinute { get; set; } = 60;

    /// <summary>Share of coupons (0–1, chosen by seed and coupon number) whose pushes are lost: the stand-in never sends them.</summary>
    public double SilentShare { get; set; }

    /// <summary>Relative weights of the event kinds; a kind that does not fit the coupon's state falls back to one that does.</summary>
    public double UseWeight { get; set; } = 6;

    public double PartialUseWeight { get; set; } = 2;

    public double CancelUseWeight { get; set; } = 1;

    public double SupplierCancelWeight { get; set; } = 1;

    public IEnumerable<string> Validate()
    {
        if (EventsPerMinute is < 0 or > 100_000)
        {
            yield return "EventsPerMinute: must be between 0 and 100000";
        }

        if (SilentShare is < 0 or > 1)
        {
            yield return "SilentShare: must be between 0 and 1";
        }

        if (UseWeight < 0 || PartialUseWeight < 0 || CancelUseWeight < 0 || SupplierCancelWeight < 0 || UseWeight + PartialUseWeight + CancelUseWeight + SupplierCancelWeight <= 0)
        {
            yield return "UseWeight: weights must be non-negative with a positive sum";
        }
    }
}
