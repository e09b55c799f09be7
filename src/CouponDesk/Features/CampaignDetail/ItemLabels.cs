namespace CouponDesk.Features.CampaignDetail;

/// <summary>What the screens and exports show for a delivery item and its coupon (spec §4.6, §4.3).</summary>
public static class ItemLabels
{
    /// <summary>발송상태 of an item; a QUEUED item whose message waits for a future REQ_DATE is 발송예약.</summary>
    public static string Delivery(string itemStatus, string? messageStatus, DateTime? requestAtUtc, DateTime nowUtc) => itemStatus switch
    {
        "PENDING" => "대기",
        "ISSUING" => "발급중",
        "ISSUE_FAILED" => "발급실패",
        "ISSUED" or "RENDERED" => "발송준비",
        "RENDER_FAILED" => "이미지오류",
        "QUEUED" when messageStatus == "READY" && requestAtUtc > nowUtc => "발송예약",
        "QUEUED" => "발송중",
        "SENT" => "발송성공",
        "SEND_FAILED" => "발송실패",
        "CANCELLED" => "취소",
        "REPLACED" => "번호변경",
        _ => itemStatus,
    };

    /// <summary>쿠폰상태; an item without a coupon yet is 발급 전.</summary>
    public static string Coupon(string? couponStatus) => couponStatus switch
    {
        null => "발급 전",
        "UNUSED" => "미교환",
        "PARTIALLY_USED" => "부분사용",
        "USED" => "교환",
        "CANCELLED" => "폐기",
        "EXPIRED" => "만료",
        _ => couponStatus,
    };
}
