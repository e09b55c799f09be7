using CouponDesk.Data.States;

namespace CouponDesk.Features.Coupons;

/// <summary>
/// Our coupon states and the transitions spec §4.3 lists (K1–K8; a copy is in docs/rules/state-machines.md). The one
/// place these values are spelled; every status change is written by <see cref="CouponTransitions"/>. The supplier's word
/// wins (§4.3 rule): a push or status read is applied even when the table does not list its change —
/// <see cref="StateMachine.Allows"/> tells such a contradiction apart.
/// </summary>
public static class CouponStatus
{
    public const string Unused = "UNUSED";
    public const string PartiallyUsed = "PARTIALLY_USED";
    public const string Used = "USED";
    public const string Cancelled = "CANCELLED";
    public const string Expired = "EXPIRED";

    public static StateMachine Machine { get; } = new("coupon",
        [Unused, PartiallyUsed, Used, Cancelled, Expired],
        [
            new("K1", StateMachine.New, Unused),
            new("K2", [Unused, PartiallyUsed], [Used]),
            new("K3", Unused, PartiallyUsed),
            new("K4", [Used, PartiallyUsed], [Unused]),
            new("K5", Unused, Cancelled),
            new("K6", [Unused, PartiallyUsed, Used, Cancelled, Expired], [Cancelled]),
            new("K7", [Unused, PartiallyUsed], [Expired]),
            new("K8", Expired, Used),
        ]);

    /// <summary>쿠폰상태 as screens show it (spec §4.3); no coupon yet is 발급 전.</summary>
    public static string Label(string? status) => status switch
    {
        null => "발급 전",
        Unused => "미교환",
        PartiallyUsed => "부분사용",
        Used => "교환",
        Cancelled => "폐기",
        Expired => "만료",
        _ => status,
    };
}
