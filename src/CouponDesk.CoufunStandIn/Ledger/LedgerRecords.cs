namespace CouponDesk.CoufunStandIn.Ledger;

/// <summary>A coupon as the stand-in keeps it (the supplier's view: STATUS 000/001/100, KST date strings).</summary>
public sealed record LedgerCoupon(
    string BarcodeNum,
    long OrderRowId,
    string PocId,
    string GoodsId,
    string CouponType,
    string Status,
    int TotalAmount,
    int RemainAmount,
    int Price,
    string OrderDate,
    string ValidEndDate,
    string? ExchangeDate,
    string? CancelDate,
    string StampDuty);

/// <summary>One create call that bought coupons.</summary>
public sealed record LedgerOrder(long Id, string OrderId, string? TrId, string GoodsId, string CatId, int OrderCnt, string ValidEndDate, string Reserve1, string Reserve2, bool ResponseDropped, DateTime CreatedAt)
{
    public IReadOnlyList<LedgerCoupon> Coupons { get; init; } = [];
}

/// <summary>What the stand-in knows about one TR_ID: the witness that nothing was bought twice.</summary>
public sealed record TrIdCounters(string TrId, int Calls, bool Consumed, string? LastCode, int Orders, int Coupons, int ResponsesDropped);

/// <summary>An exchange event waiting for (or done with) delivery to the back office.</summary>
public sealed record PushEvent(
    long Id,
    string BarcodeNum,
    string ExchangeNum,
    string Status,
    string ExchangeDate,
    string BranchName,
    string BranchCode,
    string BarcodeType,
    int Price,
    int Balance,
    int Attempts,
    DateTime NextAttemptAt,
    DateTime? DeliveredAt,
    bool GaveUp,
    string? LastReply);
