using System.ComponentModel.DataAnnotations;

namespace CouponDesk.Features.Dashboard;

/// <summary>Dashboard settings (section <c>Dashboard</c>).</summary>
public sealed class DashboardOptions
{
    public const string Section = "Dashboard";

    /// <summary>
    /// How long one process reuses the 교환률 panel (D-DASH-5): the page refreshes every 30 s in every open tab, and the
    /// rates of the recent campaigns move slowly. 0 reads it on every request (tests).
    /// </summary>
    [Range(0, 3600)]
    public int ExchangeRateCacheSeconds { get; set; } = 60;
}
