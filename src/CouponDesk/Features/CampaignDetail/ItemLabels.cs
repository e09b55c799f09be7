using CouponDesk.Features.Coupons;
using CouponDesk.Features.Messages;
using CouponDesk.Features.Pipeline;

namespace CouponDesk.Features.CampaignDetail;

/// <summary>What the screens and exports show for a delivery item and its coupon (spec §4.6, §4.3).</summary>
public static class ItemLabels
{
    /// <summary>발송상태 of an item; a QUEUED item whose message waits for a future REQ_DATE is 발송예약.</summary>
    public static string Delivery(string itemStatus, string? messageStatus, DateTime? requestAtUtc, DateTime nowUtc) => itemStatus switch
    {
        ItemStatus.Pending => "대기",
        ItemStatus.Issuing => "발급중",
        ItemStatus.IssueFailed => "발급실패",
        ItemStatus.Issued or ItemStatus.Rendered => "발송준비",
        ItemStatus.RenderFailed => "이미지오류",
        ItemStatus.Queued when messageStatus == MessageStatus.Ready && requestAtUtc > nowUtc => "발송예약",
        ItemStatus.Queued => "발송중",
        ItemStatus.Sent => "발송성공",
        ItemStatus.SendFailed => "발송실패",
        ItemStatus.Cancelled => "취소",
        ItemStatus.Replaced => "번호변경",
        _ => itemStatus,
    };

    /// <summary>쿠폰상태; an item without a coupon yet is 발급 전.</summary>
    public static string Coupon(string? couponStatus) => CouponStatus.Label(couponStatus);
}
