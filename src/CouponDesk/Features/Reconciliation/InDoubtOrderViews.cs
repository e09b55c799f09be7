using CouponDesk.Features.Pipeline;

namespace CouponDesk.Features.Reconciliation;

/// <summary>One typed-in coupon number of a settlement and what its cancel at COUFUN did; the number only masked.</summary>
public sealed record InDoubtCancelView(string CouponNumber, string Status, string StatusLabel, string? ResultCode, string? ResultMessage);

/// <summary>A row of 발급 확인 필요 (spec §3.10). Times are UTC; <see cref="RequestedAtKst"/> is the display form.</summary>
public sealed record InDoubtOrderItem(
    long Id,
    DateTime RequestedAt,
    string RequestedAtKst,
    long CampaignId,
    string? EventName,
    string? TrId,
    string GoodsId,
    int CreateCount,
    long Value,
    string Error,
    string Status,
    string State,
    string StateLabel,
    string? SettledBy,
    DateTime? SettledAt,
    string? Memo,
    IReadOnlyList<InDoubtCancelView> Cancels);

public sealed record InDoubtOrderPage(IReadOnlyList<InDoubtOrderItem> Items, long? NextCursor);

/// <summary>
/// The four states the screen shows (spec §3.10) derived from the order status and its cancels (docs/decisions.md D-RECON-1):
/// 미확인 = open; 미발급 확인 = supplier says nothing was created; 발급됨 확인 = supplier says created and a coupon may
/// still be live (no numbers given, or a cancel not done yet); 정리 완료 = every given number has a final cancel answer.
/// </summary>
public static class InDoubtStates
{
    public const string Open = "OPEN";
    public const string NotIssued = "NOT_ISSUED";
    public const string Issued = "ISSUED";
    public const string Closed = "CLOSED";

    public static string Of(string orderStatus, IReadOnlyCollection<InDoubtCancelView> cancels) => orderStatus switch
    {
        OrderStatus.SettledNotIssued => NotIssued,
        OrderStatus.SettledIssued when cancels.Count > 0 && cancels.All(c => c.Status is CancelStatus.Done or CancelStatus.Refused) => Closed,
        OrderStatus.SettledIssued => Issued,
        _ => Open,
    };

    public static string Label(string state) => state switch
    {
        NotIssued => "미발급 확인",
        Issued => "발급됨 확인",
        Closed => "정리 완료",
        _ => "미확인",
    };
}

/// <summary>States of one typed-in coupon number's cancel.</summary>
public static class CancelStatus
{
    public const string Pending = "PENDING";
    public const string Done = "DONE";
    public const string Failed = "FAILED";
    public const string Refused = "REFUSED";

    public static string Label(string status) => status switch
    {
        Done => "취소 완료",
        Failed => "취소 실패 (재시도 가능)",
        Refused => "취소 거절",
        _ => "취소 대기",
    };
}
