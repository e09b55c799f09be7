using System.ComponentModel.DataAnnotations;

namespace CouponDesk.Features.Exports;

/// <summary>Background Excel exports (section <c>Exports</c>, spec §3.3.4).</summary>
public sealed class ExportOptions
{
    public const string Section = "Exports";

    /// <summary>The download window of spec §3.3.4: fixed, not a setting.</summary>
    public static readonly TimeSpan Window = TimeSpan.FromHours(24);

    /// <summary>Where generated files wait for their download (relative paths are under the content root); web and jobs roles must share it.</summary>
    [Required]
    public string Directory { get; set; } = "data/exports";

    /// <summary>How often the generation job looks for requested exports.</summary>
    [Range(1, 300)]
    public int GenerationIntervalSeconds { get; set; } = 5;

    /// <summary>Exports of at most this many rows are generated in the request itself and answered READY (still recorded the same way).</summary>
    [Range(0, 20_000)]
    public int InlineRows { get; set; } = 1_000;

    /// <summary>A generation not finished within this many seconds is taken over by the next run (its process died).</summary>
    [Range(60, 7200)]
    public int ClaimSeconds { get; set; } = 900;

    /// <summary>Attempts per export before it is FAILED.</summary>
    [Range(1, 10)]
    public int MaxAttempts { get; set; } = 3;

    /// <summary>Exports of one user still waiting or being generated; more are refused.</summary>
    [Range(1, 100)]
    public int MaxPendingPerUser { get; set; } = 5;
}
