namespace CouponDesk.CoufunStandIn.Catalog;

/// <summary>One product of the stand-in's catalog, with the run-time switches the control API can flip.</summary>
public sealed record StandInProduct(
    string GoodsId,
    string CatId,
    string Name,
    int OriPrice,
    int Price,
    string Info,
    string Guide,
    string Branch,
    char ValidEndType,
    string ValidEndValue,
    char SendType,
    string CouponType)
{
    /// <summary>Appears in coufunProduct.do (false simulates a product the supplier withdrew).</summary>
    public bool Listed { get; init; } = true;

    /// <summary>Inside its sale/usable period (30 otherwise).</summary>
    public bool Sellable { get; init; } = true;

    /// <summary>A valid sale-product id (31 otherwise).</summary>
    public bool ValidSaleId { get; init; } = true;

    /// <summary>The expiry of a coupon bought today: D = N days from today (KST), E = the fixed date.</summary>
    public DateOnly ValidUntil(DateOnly todayKst) =>
        ValidEndType == 'D' && int.TryParse(ValidEndValue, out var days)
            ? todayKst.AddDays(days)
            : DateOnly.ParseExact(ValidEndValue, "yyyyMMdd", System.Globalization.CultureInfo.InvariantCulture);
}
