using System.ComponentModel.DataAnnotations;

namespace CouponDesk.Features.Dashboard;

/// <summary>Dashboard settings (section <c>Dashboard</c>).</summary>
public sealed class DashboardOptions
{
    public const string Section = "Dashboard";

    /// <summary>
    /// How long one process reuses a period's dashboard (D-PERF-2): every open dashboard re-reads it every 30 s, and each
    /// read counts a week of messages. The page shows the time it was read ("… 기준"). 0 reads on every request (tests).
    /// </summary>
    [Range(0, 300)]
    public int CacheSeconds { get; set; } = 10;
}
