using System.ComponentModel.DataAnnotations;

namespace CouponDesk.Features.Pipeline.Cancels;

/// <summary>COUFUN cancels of campaign coupons and their follow-up (section <c>CouponCancels</c>; spec §4.1 C13, §5.8). Tests use seconds.</summary>
public sealed class CouponCancelOptions
{
    public const string Section = "CouponCancels";

    /// <summary>Wait between two attempts of a failing cancel (spec §5.8: 10 minutes).</summary>
    [Range(1, 86_400)]
    public int RetrySeconds { get; set; } = 600;

    /// <summary>After this long since the first attempt a still failing cancel is given up, listed and alerted (spec C13: 24 h).</summary>
    [Range(1, 864_000)]
    public int GiveUpSeconds { get; set; } = 86_400;

    /// <summary>
    /// A coupon whose message was withdrawn best-effort (due or nearly due, D-SNAP-5) is cancelled only this long after the
    /// withdrawal, so a result that appears after all is seen first.
    /// </summary>
    [Range(0, 86_400)]
    public int BestEffortGraceSeconds { get; set; } = 120;

    /// <summary>Cancels called per step.</summary>
    [Range(1, 1000)]
    public int BatchSize { get; set; } = 50;
}
