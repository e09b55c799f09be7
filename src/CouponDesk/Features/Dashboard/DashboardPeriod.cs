using CouponDesk.Shared.Time;

namespace CouponDesk.Features.Dashboard;

/// <summary>A half-open UTC range [From, To) of whole KST days: today, or today and the 6 days before it.</summary>
public sealed record DashboardPeriod(string Name, DateTime From, DateTime To)
{
    public const string Today = "today";
    public const string SevenDays = "7d";

    public static bool IsKnown(string? name) => name is Today or SevenDays;

    public static DashboardPeriod For(string name, TimeProvider time)
    {
        var todayKst = Kst.Now(time).Date;
        var to = Kst.ToUtc(todayKst.AddDays(1));
        var from = Kst.ToUtc(name == SevenDays ? todayKst.AddDays(-6) : todayKst);
        return new DashboardPeriod(name, from, to);
    }
}
