namespace CouponDesk.Features.Coupons;

/// <summary>COUPON_TYPE / BARCODE_TYPE.</summary>
public static class CouponType
{
    public const string Barcode = "BARCODE";
    public const string Amount = "AMOUNT";
}

/// <summary>A coupon the pipeline just bought, to be inserted in its own transaction.</summary>
public sealed record IssuedCoupon(
    string CouponNumber,
    string GoodsId,
    string CouponType,
    int FaceValue,
    int Price,
    DateOnly ValidUntil,
    string? StampDuty,
    string? TrId,
    string? OrderId,
    long? OrderRef,
    DateTime IssuedAtUtc);

/// <summary>A stored coupon; the number only masked (reveal it with <see cref="CouponRepository.RevealNumberAsync"/>).</summary>
public sealed record CouponRecord(
    long Id,
    string MaskedNumber,
    string GoodsId,
    string CouponType,
    string Status,
    string? SupplierStatus,
    int FaceValue,
    int Price,
    int UsedAmount,
    int Balance,
    DateOnly ValidUntil,
    string? StampDuty,
    string? TrId,
    string? OrderId,
    long? OrderRef,
    DateTime? LastExchangeAt,
    DateTime IssuedAt,
    DateTime UpdatedAt);

/// <summary>One exchange push, validated (spec §7.2).</summary>
public sealed record ExchangeEvent(
    string CouponNumber,
    string ExchangeNum,
    string Status,
    string ExchangeDateKst,
    DateTime ExchangedAtUtc,
    string? BranchName,
    string? BranchCode,
    string? BarcodeType,
    int? Price,
    int? Balance);

public enum ExchangeApplyKind
{
    Applied,
    Duplicate,
    UnknownCoupon,
}

/// <summary>What applying a push did; <see cref="ExchangeId"/> is what the reply carries.</summary>
public sealed record ExchangeApplyResult(ExchangeApplyKind Kind, long? ExchangeRowId, long? CouponId)
{
    /// <summary>The push contradicted our record (applied and flagged, spec §4.3): the receiver raises the conflict alert.</summary>
    public bool Conflict { get; init; }

    public string? ExchangeId => ExchangeRowId is { } id ? $"EX{id:D12}" : null;
}
