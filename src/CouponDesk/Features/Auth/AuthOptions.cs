using System.ComponentModel.DataAnnotations;

namespace CouponDesk.Features.Auth;

/// <summary>Session rules (spec §2.5).</summary>
public sealed class SessionOptions
{
    public const string Section = "Security:Sessions";

    [Range(1, 240)]
    public int IdleTimeoutMinutes { get; set; } = 30;

    /// <summary>From login; spec: 12 h, at most 24 h.</summary>
    [Range(1, 24)]
    public int AbsoluteLifetimeHours { get; set; } = 12;

    /// <summary>Active sessions per user; a new login ends the oldest beyond this (spec: 1, configurable 1–3).</summary>
    [Range(1, 3)]
    public int MaxConcurrentSessions { get; set; } = 1;

    /// <summary>How long before idle expiry the page warns (spec: 2 minutes).</summary>
    [Range(0, 600)]
    public int WarningSeconds { get; set; } = 120;

    public TimeSpan IdleTimeout => TimeSpan.FromMinutes(IdleTimeoutMinutes);

    public TimeSpan AbsoluteLifetime => TimeSpan.FromHours(AbsoluteLifetimeHours);
}

/// <summary>Login rules (spec §2.4).</summary>
public sealed class LoginOptions
{
    public const string Section = "Security:Login";

    [Range(3, 20)]
    public int MaxConsecutiveFailures { get; set; } = 5;

    /// <summary>Minutes after which a locked account unlocks by itself; 0 = only an ADMIN unlocks (default).</summary>
    [Range(0, 10_080)]
    public int AutoUnlockMinutes { get; set; }

    /// <summary>Failed logins from one address within <see cref="AddressWindowMinutes"/> after which it is refused.</summary>
    [Range(1, 10_000)]
    public int AddressFailureLimit { get; set; } = 20;

    [Range(1, 1440)]
    public int AddressWindowMinutes { get; set; } = 10;

    /// <summary>비밀번호 변경 주기 (spec §3.11): after this many days a login must change the password first; 0 = off (default).</summary>
    [Range(0, 3650)]
    public int PasswordMaxAgeDays { get; set; }
}
