using System.Text;
using CouponDesk.Data;
using CouponDesk.Shared.Time;
using Dapper;

namespace CouponDesk.Features.Products;

public sealed record ProductSearch(string? Q, string? Brand, string? CatId, string? Status, string? ValidEndType, int? MinPrice, int? MaxPrice, int Page, int PageSize);

public sealed record ProductListItem(string GoodsId, string? CatId, string? Name, string? ExchangeBranch, int? OriPrice, int? Price, string? ValidEndType, string? ValidEndValue,
    string? SendType, string Status, DateTime ChangedAt, string? Validity, string ImageUrl);

public sealed record ProductPage(IReadOnlyList<ProductListItem> Items, int Total, int Page, int PageSize);

public sealed record ProductImageInfo(string Size, string? SourceUrl, int? Width, int? Height, bool Cached, string ImageUrl);

public sealed record ProductChange(string Field, string? OldValue, string? NewValue, DateTime ChangedAt);

public sealed record ProductDetail(ProductListItem Product, string? GoodsInfo, string? UseGuide, IReadOnlyList<ProductImageInfo> Images, IReadOnlyList<ProductChange> Changes);

public sealed record SyncRun(long Id, string TriggerKind, string? RequestedBy, DateTime StartedAt, DateTime? FinishedAt, string Outcome, string? ResultCode,
    int? ProductCount, int? Added, int? Changed, int? Discontinued, int? Skipped, int? ImagesCached, int? ImageFailures, string? Error);

public sealed record SyncStatus(SyncRun? LastRun, IReadOnlyList<SyncRun> RecentRuns, DateTime NextScheduledAt, int ManualRunsLeftToday, int ProductsOnSale, int ProductsDiscontinued);

/// <summary>Reads for the 상품 screen: list and search with paging, detail with history, and the sync panel.</summary>
public sealed class ProductQueries(DbConnectionFactory connections, ProductImageStore images, CatalogOptions options, TimeProvider time)
{
    private const string ListColumns = """
        SELECT goods_id AS GoodsId, cat_id AS CatId, name, exc_branch AS ExchangeBranch, ori_price AS OriPrice, price, valid_end_type AS ValidEndType,
               valid_end_value AS ValidEndValue, send_type AS SendType, status, changed_at AS ChangedAt
        FROM products
        """;

    public async Task<ProductPage> SearchAsync(ProductSearch s, CancellationToken ct)
    {
        var where = new StringBuilder(" WHERE 1 = 1");
        var p = new DynamicParameters();
        if (!string.IsNullOrWhiteSpace(s.Q))
        {
            where.Append(" AND (name LIKE @q OR goods_id LIKE @q OR exc_branch LIKE @q)");
            p.Add("q", Like(s.Q));
        }

        if (!string.IsNullOrWhiteSpace(s.Brand))
        {
            where.Append(" AND exc_branch LIKE @brand");
            p.Add("brand", Like(s.Brand));
        }

        Add(where, p, "cat_id", "catId", s.CatId);
        Add(where, p, "status", "status", s.Status);
        Add(where, p, "valid_end_type", "vt", s.ValidEndType);
        if (s.MinPrice is { } min)
        {
            where.Append(" AND price >= @min");
            p.Add("min", min);
        }

        if (s.MaxPrice is { } max)
        {
            where.Append(" AND price <= @max");
            p.Add("max", max);
        }

        p.Add("limit", s.PageSize);
        p.Add("offset", (s.Page - 1) * s.PageSize);
        await using var c = await connections.OpenAsync(ct);
        var total = await c.ExecuteScalarAsync<int>("SELECT COUNT(*) FROM products" + where, p);
        var rows = await c.QueryAsync<Row>(ListColumns + where + " ORDER BY status DESC, name, goods_id LIMIT @limit OFFSET @offset", p);
        return new ProductPage([.. rows.Select(r => r.ToItem(images))], total, s.Page, s.PageSize);
    }

    public async Task<ProductDetail?> FindAsync(string goodsId, CancellationToken ct)
    {
        await using var c = await connections.OpenAsync(ct);
        var row = await c.QuerySingleOrDefaultAsync<Row>(ListColumns + " WHERE goods_id = @goodsId", new { goodsId });
        if (row is null)
        {
            return null;
        }

        var extra = await c.QuerySingleAsync<(string? Info, string? Guide, string? Su, int? Sw, int? Sh, string? Mu, int? Mw, int? Mh, string? Bu, int? Bw, int? Bh)>(
            "SELECT goods_info, use_guide, image_s_url, image_s_w, image_s_h, image_m_url, image_m_w, image_m_h, image_b_url, image_b_w, image_b_h FROM products WHERE goods_id = @goodsId",
            new { goodsId });
        var changes = await c.QueryAsync<ProductChange>(
            "SELECT field, old_value AS OldValue, new_value AS NewValue, changed_at AS ChangedAt FROM product_changes WHERE goods_id = @goodsId ORDER BY id DESC LIMIT 100",
            new { goodsId });
        ProductImageInfo Image(ProductImageSize size, string? url, int? w, int? h) =>
            new(size.ToString(), url, w, h, images.GetPath(goodsId, size) is not null, images.Url(goodsId, size));
        return new ProductDetail(row.ToItem(images), extra.Info, extra.Guide,
            [Image(ProductImageSize.Small, extra.Su, extra.Sw, extra.Sh), Image(ProductImageSize.Medium, extra.Mu, extra.Mw, extra.Mh), Image(ProductImageSize.Large, extra.Bu, extra.Bw, extra.Bh)],
            [.. changes]);
    }

    public async Task<SyncStatus> SyncStatusAsync(CancellationToken ct)
    {
        await using var c = await connections.OpenAsync(ct);
        var runs = (await c.QueryAsync<SyncRun>(
            """
            SELECT id, trigger_kind AS TriggerKind, requested_by AS RequestedBy, started_at AS StartedAt, finished_at AS FinishedAt, outcome, result_code AS ResultCode,
                   product_count AS ProductCount, added, changed, discontinued, skipped, images_cached AS ImagesCached, image_failures AS ImageFailures, error
            FROM catalog_sync_runs ORDER BY id DESC LIMIT 20
            """)).ToList();
        var today = DateOnly.FromDateTime(Kst.Now(time));
        var manualToday = await c.ExecuteScalarAsync<int>(
            "SELECT COUNT(*) FROM catalog_sync_runs WHERE day_kst = @day AND trigger_kind = 'MANUAL' AND called_coufun = 1", new { day = today.ToDateTime(TimeOnly.MinValue) });
        var (onSale, discontinued) = await c.QuerySingleAsync<(int, int)>(
            "SELECT COALESCE(SUM(status = 'ON_SALE'), 0), COALESCE(SUM(status = 'DISCONTINUED'), 0) FROM products");
        var nowKst = Kst.Now(time);
        var next = nowKst.Date.AddHours(4) > nowKst ? nowKst.Date.AddHours(4) : nowKst.Date.AddDays(1).AddHours(4);
        return new SyncStatus(runs.FirstOrDefault(), runs, Kst.ToUtc(next), Math.Max(0, options.ManualRunsPerDay - manualToday), onSale, discontinued);
    }

    private static void Add(StringBuilder where, DynamicParameters p, string column, string name, string? value)
    {
        if (!string.IsNullOrWhiteSpace(value))
        {
            where.Append($" AND {column} = @{name}");
            p.Add(name, value.Trim());
        }
    }

    private static string Like(string value) =>
        "%" + value.Trim().Replace("\\", "\\\\", StringComparison.Ordinal).Replace("%", "\\%", StringComparison.Ordinal).Replace("_", "\\_", StringComparison.Ordinal) + "%";

    private sealed record Row(string GoodsId, string? CatId, string? Name, string? ExchangeBranch, int? OriPrice, int? Price, string? ValidEndType, string? ValidEndValue, string? SendType, string Status, DateTime ChangedAt)
    {
        public ProductListItem ToItem(ProductImageStore images) => new(GoodsId, CatId, Name, ExchangeBranch, OriPrice, Price, ValidEndType, ValidEndValue, SendType, Status, ChangedAt, Validity(),
            images.Url(GoodsId, ProductImageSize.Small));

        /// <summary>"발송일로부터 N일" / "YYYY-MM-DD까지" (spec §3.5; the D+date ambiguity per §2.2 [SR]).</summary>
        private string? Validity() => (ValidEndType, ValidEndValue) switch
        {
            ("D", { Length: <= 4 } days) => $"발송일로부터 {days}일",
            (_, { Length: 8 } date) => $"{date[..4]}-{date[4..6]}-{date[6..]}까지",
            _ => null,
        };
    }
}
