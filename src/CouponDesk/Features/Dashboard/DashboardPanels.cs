namespace CouponDesk.Features.Dashboard;

/// <summary>The dashboard's panels as named in <see cref="Dashboard.Unavailable"/> (the page maps each to its cards).</summary>
public static class DashboardPanels
{
    /// <summary>오늘 발송 and 성공률.</summary>
    public const string Sending = "sending";

    /// <summary>실패 사유.</summary>
    public const string Failures = "failures";

    /// <summary>진행 중 캠페인.</summary>
    public const string Running = "running";

    /// <summary>예정 캠페인.</summary>
    public const string Upcoming = "upcoming";

    /// <summary>확인 필요 (in-doubt orders, coupon cancels given up).</summary>
    public const string Attention = "attention";

    /// <summary>시스템 상태.</summary>
    public const string System = "system";

    /// <summary>교환률 (recent campaigns).</summary>
    public const string Exchange = "exchange";

    private static readonly Dictionary<string, string> Labels = new(StringComparer.Ordinal)
    {
        [Sending] = "오늘 발송·성공률",
        [Failures] = "실패 사유",
        [Running] = "진행 중 캠페인",
        [Upcoming] = "예정 캠페인",
        [Attention] = "확인 필요",
        [System] = "시스템 상태",
        [Exchange] = "교환률",
    };

    /// <summary>What the page shows in place of a panel that could not be read.</summary>
    public static string UnavailableMessage(string panel) => $"{Labels[panel]} 정보를 불러오지 못했습니다. 잠시 후 다시 시도해 주세요.";
}
