namespace CouponDesk.Features.Campaigns;

/// <summary>
/// Campaign states (spec §4.1). This feature moves DRAFT ⇄ SCHEDULED and SCHEDULED → CANCELLED; the pipeline issue
/// adds the running states (ISSUING, SENDING, PAUSED, ERROR, CANCELLING) and the final ones.
/// </summary>
public static class CampaignStatus
{
    public const string Draft = "DRAFT";
    public const string Scheduled = "SCHEDULED";
    public const string Issuing = "ISSUING";
    public const string Sending = "SENDING";
    public const string Paused = "PAUSED";
    public const string Error = "ERROR";
    public const string Cancelling = "CANCELLING";
    public const string Cancelled = "CANCELLED";
    public const string Completed = "COMPLETED";
    public const string PartiallyFailed = "PARTIALLY_FAILED";
    public const string Failed = "FAILED";

    public static string Label(string status) => status switch
    {
        Draft => "임시저장",
        Scheduled => "예약",
        Issuing => "준비중",
        Sending => "발송중",
        Paused => "일시정지",
        Error => "오류",
        Cancelling => "취소중",
        Cancelled => "취소",
        Completed => "완료",
        PartiallyFailed => "부분오류",
        Failed => "실패",
        _ => status,
    };
}
