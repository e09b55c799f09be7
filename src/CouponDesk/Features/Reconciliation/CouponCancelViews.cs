using CouponDesk.Features.Pipeline.Cancels;

namespace CouponDesk.Features.Reconciliation;

/// <summary>
/// A row of 공급사 취소 실패 (spec §4.1 C13 "listed for an ADMIN"): one coupon we could not cancel at COUFUN. Times are UTC
/// (the page shows them in KST); the coupon number only masked (spec §7.3).
/// </summary>
public sealed record CouponCancelItem(
    long CouponId,
    long? CampaignId,
    string? EventName,
    string Source,
    string SourceLabel,
    string State,
    string StateLabel,
    int Attempts,
    int ManualRetries,
    DateTime CreatedAt,
    DateTime? FirstAttemptAt,
    DateTime? LastAttemptAt,
    string? LastCode,
    string? LastMessage,
    string CouponNumber,
    string GoodsId,
    string? GoodsName,
    int FaceValue,
    int Price,
    string? ResolvedBy,
    DateTime? ResolvedAt,
    string? ResolvedReason);

public sealed record CouponCancelPage(IReadOnlyList<CouponCancelItem> Items, long? NextCursor);

/// <summary>The list's filters and the Korean labels of states and sources.</summary>
public static class CouponCancelFilter
{
    /// <summary>Needs a person: given up after the follow-up window, or refused by COUFUN.</summary>
    public const string Open = "open";

    /// <summary>Settled by an ADMIN by other means (DONE with a reason).</summary>
    public const string Resolved = "resolved";

    public const string All = "all";

    public static readonly string[] Values = [Open, CouponCancelState.GaveUp, CouponCancelState.Refused, Resolved, All];

    /// <summary>A DONE row an ADMIN resolved reads differently from one COUFUN cancelled.</summary>
    public static string StateLabel(string state, bool resolvedByPerson) => state switch
    {
        CouponCancelState.Done when resolvedByPerson => "별도 정산 완료",
        CouponCancelState.GaveUp => "자동 재시도 중단",
        CouponCancelState.Refused => "공급사 취소 거절",
        CouponCancelState.Retry => "재시도 대기",
        CouponCancelState.Pending => "취소 대기",
        CouponCancelState.Done => "취소 완료",
        _ => state,
    };

    public static string SourceLabel(string source) => source switch
    {
        CouponCancelSource.CampaignCancel => "일괄취소",
        CouponCancelSource.PartialCancel => "미발송분 취소",
        CouponCancelSource.CustomerService => "C/S 취소",
        CouponCancelSource.BulkDiscard => "미사용 쿠폰 일괄 폐기",
        _ => source,
    };
}
