using System.ComponentModel.DataAnnotations;

namespace CouponDesk.Features.Pipeline.Resends;

/// <summary>Automatic resends and 실패 건 재시도 (section <c>Resends</c>; spec §5.5, §4.2 D9). Tests use seconds.</summary>
public sealed class ResendOptions
{
    public const string Section = "Resends";

    /// <summary>Automatic resends per item for resend-recommended codes (spec §4.5: at most 2).</summary>
    [Range(0, 2)]
    public int MaxAutomatic { get; set; } = 2;

    /// <summary>Delay before the 1st automatic resend (spec §5.5: 5 minutes).</summary>
    [Range(1, 86_400)]
    public int FirstDelaySeconds { get; set; } = 300;

    /// <summary>Delay before the 2nd automatic resend, counted from the 1st resend's failure (spec §5.5: 30 minutes).</summary>
    [Range(1, 86_400)]
    public int SecondDelaySeconds { get; set; } = 1800;

    /// <summary>Operator-initiated resends per item (실패 건 재시도 and C/S 재발송; spec §4.2: 3).</summary>
    [Range(1, 10)]
    public int MaxOperatorResends { get; set; } = 3;

    /// <summary>How often a worker looks for due resends (spec §5.8: every minute).</summary>
    [Range(1, 3600)]
    public int PollSeconds { get; set; } = 60;

    /// <summary>Items resent per claim (one multi-row insert).</summary>
    [Range(1, 1000)]
    public int BatchSize { get; set; } = 200;
}
