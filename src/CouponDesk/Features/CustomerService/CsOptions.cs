using System.ComponentModel.DataAnnotations;

namespace CouponDesk.Features.CustomerService;

/// <summary>
/// C/S limits and windows (section <c>CustomerService</c>; spec §3.4.3, §7.4). The resend limit is
/// <c>Resends:MaxOperatorResends</c>; a resend's night window is the 설정 screen's 야간 발송 시간대
/// (<see cref="Campaigns.CampaignOptions.IsNight"/>, D-SET-6).
/// </summary>
public sealed class CsOptions
{
    public const string Section = "CustomerService";

    /// <summary>번호변경 per recipient lineage (spec §3.4.3: 2).</summary>
    [Range(1, 10)]
    public int MaxPhoneChanges { get; set; } = 2;

    /// <summary>상태 새로고침 at most once per this many seconds per coupon (spec §3.4.3: a minute).</summary>
    [Range(1, 3600)]
    public int RefreshIntervalSeconds { get; set; } = 60;

    /// <summary>Personal-data accesses (C/S searches, detail views, reveals) by one user in an hour above which a security alert is raised (spec §7.4: 100).</summary>
    [Range(1, 100_000)]
    public int AccessAlertThreshold { get; set; } = 100;

    /// <summary>Rows per search page (spec §3.0: 50).</summary>
    [Range(1, 100)]
    public int PageSize { get; set; } = 50;

    /// <summary>How often the worker looks for replacement coupons to issue and send (번호변경 after delivery).</summary>
    [Range(1, 3600)]
    public int FollowUpPollSeconds { get; set; } = 10;

    /// <summary>How long a 번호변경 request waits for a worker that took its replacement's order or item before answering "자동으로 재시도합니다".</summary>
    [Range(0, 60)]
    public int InlineWaitSeconds { get; set; } = 10;
}
