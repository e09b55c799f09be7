namespace CouponDesk.Integrations.Coufun;

/// <summary>One PRODUCT_INFO block (spec §2.2). Every element but GOODS_ID may be missing; ids stay strings.</summary>
public sealed record CoufunProduct(
    string GoodsId,
    string? CatId,
    string? Name,
    int? OriPrice,
    int? Price,
    string? Info,
    string? UseGuide,
    string? ExchangeBranch,
    string? ValidEndType,
    string? ValidEndDate,
    string? SendType,
    CoufunProductImage? ImageSmall,
    CoufunProductImage? ImageMedium,
    CoufunProductImage? ImageLarge);

public sealed record CoufunProductImage(string Url, int? Width, int? Height);

/// <summary>The catalog answer; <see cref="Skipped"/> counts blocks without a usable GOODS_ID.</summary>
public sealed record CoufunProductList(IReadOnlyList<CoufunProduct> Products, int? ListCount, int Skipped);

/// <summary>A create answer with 00 (spec §3.2). <see cref="NeedsReview"/> when counts or the TR_ID echo disagree (§8.1).</summary>
public sealed record CoufunCreatedOrder(
    string? OrderId,
    string? CatId,
    string? GoodsId,
    string? TrIdEcho,
    int? OrderCount,
    DateOnly? ValidEndDate,
    IReadOnlyList<CoufunCreatedCoupon> Coupons,
    string? ReviewReason)
{
    public bool NeedsReview => ReviewReason is not null;
}

public sealed record CoufunCreatedCoupon(string BarcodeNum, string? StampDuty);

/// <summary>
/// One coupon's state (spec §4.2). STATUS is kept raw; <see cref="Expired"/> comes from code 04. For AMOUNT coupons
/// balances, not STATUS, say whether it was partly used (§11 #13).
/// </summary>
public sealed record CoufunCouponStatus(
    string? BarcodeNum,
    string? CouponType,
    string? Status,
    DateOnly? OrderDate,
    DateOnly? ValidEndDate,
    DateTime? ExchangedAtUtc,
    DateTime? CancelledAtUtc,
    int? TotalAmount,
    int? RemainAmount,
    bool Expired)
{
    /// <summary>
    /// Elements that were present but could not be read (a malformed date or amount, a STATUS outside 000/001/100): such
    /// an answer is kept for review and never applied (spec §6 [SR]: an unknown value never maps silently to a known state).
    /// </summary>
    public IReadOnlyList<string> Unreadable { get; init; } = [];
}

/// <summary>A cancel answered 00 or 18 (already cancelled).</summary>
public sealed record CoufunCancelled(string? BarcodeNumEcho, bool WasAlreadyCancelled);
