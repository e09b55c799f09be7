using System.Globalization;
using CouponDesk.Data;
using CouponDesk.Features.Recipients;
using CouponDesk.Security.Masking;
using CouponDesk.Security.Pii;
using CouponDesk.Shared.Time;
using Dapper;

namespace CouponDesk.Features.CustomerService;

/// <summary>A page of C/S results; <see cref="Scheduled"/> (first page only) lists the phone's recipients of campaigns that have not started yet.</summary>
public sealed record CsPage(IReadOnlyList<CsRow> Items, long Total, string? NextCursor, IReadOnlyList<CsScheduledRow> Scheduled)
{
    /// <summary>"조건에 해당하는 쿠폰을 찾을 수 없습니다." when nothing matched.</summary>
    public string? Message { get; init; }
}

/// <summary>
/// The C/S search (spec §3.4.1–§3.4.2). A phone finds the items of its recipient rows, the items whose number was
/// changed away from it (<c>phone_changes</c>), and every item that replaced one of those (the lineage, by
/// <c>parent_item_id</c>); a full coupon number finds its coupon's item; the last 4 narrow a phone search. All through
/// blind indexes and the stored last 4 — nothing is decrypted to search. Sorted by 발송일시 descending (then item id),
/// keyset paged on that pair.
/// </summary>
public sealed class CsSearch(DbConnectionFactory connections, CsRows rows, PiiReader reader)
{
    public const int MaxCursorLength = 41;

    public async Task<CsPage> SearchAsync(CsQuery query, CsCursor? after, int take, CancellationToken ct)
    {
        var (hits, args) = Hits(query);
        var filter = query.CouponIndex is not null ? " AND c.coupon_number_index = @couponIndex"
            : query.Last4 is not null ? " AND c.coupon_number_last4 = @last4"
            : "";
        // One statement: the lineage walk, the page and (a window count over the whole result, before the cursor) the total.
        var sql = $"""
            WITH RECURSIVE hits (id) AS ({hits}),
              tree (id) AS (SELECT id FROM hits UNION SELECT d.id FROM delivery_items d JOIN tree t ON d.parent_item_id = t.id)
            SELECT * FROM (
              SELECT {CsItemStates.StateColumns}, {CsRows.RowColumns}, COUNT(*) OVER () AS Total
              FROM tree JOIN delivery_items di ON di.id = tree.id
                JOIN campaigns cp ON cp.id = di.campaign_id
                LEFT JOIN recipient_list_rows r ON r.list_id = di.list_id AND r.seq = di.seq
                LEFT JOIN coupons c ON c.id = di.coupon_id
                LEFT JOIN messages m ON m.id = di.message_id
              WHERE cp.deleted_at IS NULL{filter}) found
            """;
        if (after is { } cursor)
        {
            sql += " WHERE (SortAt < @afterAt OR (SortAt = @afterAt AND ItemId < @afterId))";
            args.Add("afterAt", cursor.SortAt);
            args.Add("afterId", cursor.ItemId);
        }

        args.Add("take", take + 1);
        sql += " ORDER BY SortAt DESC, ItemId DESC LIMIT @take";
        await using var c = await connections.OpenAsync(ct);
        var data = (await c.QueryAsync<CsRowData>(new CommandDefinition(sql, args, cancellationToken: ct))).ToList();
        var page = data.Take(take).ToList();
        var next = data.Count > take ? new CsCursor(page[^1].SortAt, page[^1].ItemId).ToString() : null;
        var scheduled = after is null && query.PhoneIndex is not null && query.CouponIndex is null && query.Last4 is null
            ? await ScheduledAsync(c, query.PhoneIndex, ct)
            : [];
        return new CsPage(rows.Build(page), data.Count == 0 ? 0 : data[0].Total, next, scheduled);
    }

    private static (string Sql, DynamicParameters Args) Hits(CsQuery query)
    {
        var args = new DynamicParameters();
        args.Add("phoneIndex", query.PhoneIndex);
        args.Add("couponIndex", query.CouponIndex);
        args.Add("last4", query.Last4);
        if (query.PhoneIndex is null)
        {
            return ("SELECT d.id FROM coupons k JOIN delivery_items d ON d.coupon_id = k.id WHERE k.coupon_number_index = @couponIndex", args);
        }

        return ("""
            SELECT d.id FROM recipient_list_rows rr JOIN delivery_items d ON d.list_id = rr.list_id AND d.seq = rr.seq WHERE rr.phone_bidx = @phoneIndex
            UNION SELECT pc.item_id FROM phone_changes pc WHERE pc.old_phone_bidx = @phoneIndex
            UNION SELECT pc.new_item_id FROM phone_changes pc WHERE pc.old_phone_bidx = @phoneIndex AND pc.new_item_id IS NOT NULL
            """, args);
    }

    /// <summary>Recipients of SCHEDULED campaigns (their items are created when the campaign starts — spec §3.4.2 "발급 전").</summary>
    private async Task<IReadOnlyList<CsScheduledRow>> ScheduledAsync(MySqlConnector.MySqlConnection c, byte[] phoneIndex, CancellationToken ct)
    {
        var rows = await c.QueryAsync<(long CampaignId, DateTime? SendAt, string ClientName, string EventName, string? ProductName, int? ListPrice, byte[]? PhoneEnc, long ListId, int Seq)>(new CommandDefinition(
            $"""
            SELECT cp.id, COALESCE(cp.scheduled_at, cp.start_at, cp.created_at), cp.client_name, cp.event_name, cp.product_name, cp.list_price, r.phone_enc, r.list_id, r.seq
            FROM recipient_list_rows r JOIN campaigns cp ON cp.recipient_list_id = r.list_id
            WHERE r.phone_bidx = @phoneIndex AND cp.status = '{Campaigns.CampaignStatus.Scheduled}' AND cp.deleted_at IS NULL
            ORDER BY 2 DESC, cp.id DESC LIMIT 50
            """, new { phoneIndex }, cancellationToken: ct));
        return [.. rows.Select(r => new CsScheduledRow(r.CampaignId, r.SendAt is { } at ? Kst.FormatMinute(at) : null, r.ClientName, r.EventName, r.ProductName, r.ListPrice,
            r.PhoneEnc is null ? "" : reader.Masked(r.PhoneEnc, RecipientsModule.PhoneColumn.PlaceOf(r.ListId, r.Seq), Masking.Phone)))];
    }
}

/// <summary>The keyset position: the last row's 발송일시 (UTC ticks) and item id, written <c>ticks_id</c>.</summary>
public readonly record struct CsCursor(DateTime SortAt, long ItemId)
{
    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"{SortAt.Ticks}_{ItemId}");

    public static bool TryParse(string? text, out CsCursor cursor)
    {
        cursor = default;
        if (string.IsNullOrEmpty(text) || text.Length > CsSearch.MaxCursorLength)
        {
            return false;
        }

        var parts = text.Split('_');
        if (parts.Length != 2
            || !long.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out var ticks) || ticks < DateTime.MinValue.Ticks || ticks > DateTime.MaxValue.Ticks
            || !long.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var id) || id <= 0)
        {
            return false;
        }

        cursor = new CsCursor(new DateTime(ticks, DateTimeKind.Utc), id);
        return true;
    }
}
