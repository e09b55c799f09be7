using System.ComponentModel.DataAnnotations;

namespace CouponDesk.Features.Settings;

/// <summary>How often each process looks for a changed setting (section <c>Settings</c>).</summary>
public sealed class SettingsOptions
{
    public const string Section = "Settings";

    /// <summary>A change made on 설정 is in force in every process at most this long afterwards (one indexed row read).</summary>
    [Range(1, 60)]
    public int PollSeconds { get; set; } = 3;
}
