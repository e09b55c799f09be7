using System.Globalization;
using CouponDesk.Data;
using Dapper;

namespace CouponDesk.Features.Campaigns.Products;

/// <summary>
/// What campaign registration needs from the synced COUFUN catalog (the <c>products</c> table of Features/Products).
/// The product list carries no coupon type (BARCODE/AMOUNT comes from the status API per coupon), so the snapshot's
/// type is unknown until issuance.
/// </summary>
public interface IProductCatalog
{
    Task<ProductSnapshot?> FindAsync(string goodsId, CancellationToken cancellationToken = default);
}

/// <summary>The product fields copied into a campaign (spec §3.2.1 fields 8–11), so catalog changes do not alter it.</summary>
public sealed record ProductSnapshot(
    string GoodsId,
    string Name,
    string? ExchangePlace,
    int? SupplyPrice,
    int? ListPrice,
    string? ValidityType,
    string? ValidityValue,
    string? CouponType,
    bool OnSale,
    string? ImageRef)
{
    /// <summary>Type D with up to 4 digits is a number of days from the send date (coufun spec §2.2 safe reading).</summary>
    public int? ValidDays => ValidityType == "D" && ValidityValue is { Length: > 0 and <= 4 } v && int.TryParse(v, NumberStyles.None, CultureInfo.InvariantCulture, out var days) ? days : null;

    /// <summary>A fixed last day (type E, or type D written as a date).</summary>
    public DateOnly? ValidUntil => ValidityValue is { Length: 8 } v && DateOnly.TryParseExact(v, "yyyyMMdd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date) ? date : null;

    /// <summary>"발송일로부터 N일" or "YYYY-MM-DD까지" (spec §3.2.1 field 9).</summary>
    public string ValidityText => ValidDays is { } days
        ? $"발송일로부터 {days}일"
        : ValidUntil is { } until ? $"{until:yyyy-MM-dd}까지" : "확인 필요";
}

public sealed class TableProductCatalog(DbConnectionFactory connections) : IProductCatalog
{
    public async Task<ProductSnapshot?> FindAsync(string goodsId, CancellationToken cancellationToken = default)
    {
        await using var connection = await connections.OpenAsync(cancellationToken);
        var row = await connection.QuerySingleOrDefaultAsync<ProductRow>(
            """
            SELECT goods_id AS GoodsId, name AS Name, exc_branch AS ExchangePlace, price AS SupplyPrice,
                   ori_price AS ListPrice, valid_end_type AS ValidityType, valid_end_value AS ValidityValue,
                   NULL AS CouponType, status AS Status, image_b_url AS ImageRef
            FROM products WHERE goods_id = @goodsId
            """,
            new { goodsId });
        return row is null
            ? null
            : new ProductSnapshot(row.GoodsId, row.Name, row.ExchangePlace, row.SupplyPrice, row.ListPrice, row.ValidityType, row.ValidityValue, row.CouponType, row.Status == "ON_SALE", row.ImageRef);
    }

    private sealed record ProductRow
    {
        public string GoodsId { get; init; } = "";

        public string Name { get; init; } = "";

        public string? ExchangePlace { get; init; }

        public int? SupplyPrice { get; init; }

        public int? ListPrice { get; init; }

        public string? ValidityType { get; init; }

        public string? ValidityValue { get; init; }

        public string? CouponType { get; init; }

        public string Status { get; init; } = "";

        public string? ImageRef { get; init; }
    }
}
