using System.ComponentModel.DataAnnotations;

namespace CouponDesk.Features.Coupons;

/// <summary>The coupon status sync and the expiry marker (section <c>CouponStatus</c>; spec §5.6, §5.8).</summary>
public sealed class CouponStatusOptions
{
    public const string Section = "CouponStatus";

    /// <summary>Seconds between two sync runs (spec §5.6: 5 minutes).</summary>
    [Range(1, 86_400)]
    public int SyncIntervalSeconds { get; set; } = 300;

    /// <summary>Coupons read per run (spec §5.6: 200).</summary>
    [Range(1, 10_000)]
    public int BatchSize { get; set; } = 200;

    /// <summary>"Touched by C/S in the last 24 hours" come first (spec §5.6).</summary>
    [Range(1, 720)]
    public int CsTouchedHours { get; set; } = 24;

    /// <summary>Then coupons expiring within this many days (spec §5.6: 7).</summary>
    [Range(0, 365)]
    public int ExpiringWithinDays { get; set; } = 7;

    /// <summary>
    /// A prioritised coupon read less than this long ago waits its turn with the rest (oldest check first), so a few
    /// C/S-touched or expiring coupons do not take the batch every run (D-COUFUN-9).
    /// </summary>
    [Range(0, 1440)]
    public int PriorityRecheckMinutes { get; set; } = 30;

    /// <summary>Consecutive reads without a usable COUFUN answer after which a run stops: COUFUN is down, one alert (not one per coupon).</summary>
    [Range(1, 1000)]
    public int OutageAfterFailures { get; set; } = 3;

    /// <summary>Quartz cron of the expiry marker, KST (spec §5.8: daily 00:10).</summary>
    [Required]
    public string ExpiryCron { get; set; } = "0 10 0 * * ?";
}
