using System.ComponentModel.DataAnnotations;

namespace CouponDesk.Features.Campaigns;

/// <summary>Campaign registration rules that the spec makes settings (§3.11, §5.1).</summary>
public sealed class CampaignOptions
{
    public const string Section = "Campaigns";

    /// <summary>Lower bound of the preparation lead (spec §5.1: 10 minutes).</summary>
    [Range(1, 240)]
    public int MinLeadMinutes { get; set; } = 10;

    /// <summary>
    /// End-to-end preparation rate (issue + render + queue, items per minute) used until measured campaigns exist
    /// (spec §5.1: lead = max(min, 1.5 × N ÷ R + 5 min)). Conservative until the pipeline benchmarks replace it.
    /// </summary>
    [Range(10, 1_000_000)]
    public int PreparationRatePerMinute { get; set; } = 2000;

    [Range(1, 365)]
    public int MaxDaysAhead { get; set; } = 90;

    /// <summary>Night window start hour, KST (spec §3.2.1: 21:00–08:00).</summary>
    [Range(0, 23)]
    public int NightStartHour { get; set; } = 21;

    [Range(0, 23)]
    public int NightEndHour { get; set; } = 8;

    /// <summary><c>Warn</c> (confirmation required) or <c>Block</c>.</summary>
    [RegularExpression("^(Warn|Block)$")]
    public string NightMode { get; set; } = "Warn";

    /// <summary>
    /// Whether a KST wall-clock time falls in the night window [start, end), wrapping midnight when start &gt; end;
    /// start = end means no window. The one statement of the window: a campaign's send time and a C/S resend's
    /// confirmation (spec §3.4.3) both ask here, so 설정 changes both at once (D-SET-6).
    /// </summary>
    public bool IsNight(DateTime kstWallClock)
    {
        var hour = kstWallClock.Hour;
        return NightStartHour > NightEndHour
            ? hour >= NightStartHour || hour < NightEndHour
            : hour >= NightStartHour && hour < NightEndHour;
    }

    /// <summary>Banner upload limit (spec §3.2.1 field 16: 5 MB).</summary>
    [Range(1024, 50 * 1024 * 1024)]
    public int MaxBannerBytes { get; set; } = 5 * 1024 * 1024;

    /// <summary>Largest decoded banner (width × height); a decompression bomb declares far more.</summary>
    [Range(100_000, 100_000_000)]
    public int MaxBannerPixels { get; set; } = 25_000_000;

    [Range(100, 20_000)]
    public int MaxBannerSide { get; set; } = 8000;
}
