using CouponDesk.Data;
using CouponDesk.Features.Coupons;
using CouponDesk.Features.Messages;
using CouponDesk.Features.Pipeline;
using CouponDesk.Features.Recipients;
using CouponDesk.Security.Masking;
using CouponDesk.Security.Pii;
using CouponDesk.Shared.Time;
using Dapper;

namespace CouponDesk.Features.CampaignDetail;

/// <summary>One row of the recipient table (spec §3.3.3): masked phone and coupon number, times as KST text.</summary>
public sealed record RecipientItemRow(
    long ItemId, int No, string Phone, string? CouponNumber, string? OrderId, string? CouponStatus, string CouponStatusLabel,
    string Status, string StatusLabel, string? ResultCode, string? ResultReason, string? DeliveredAt, string? ExchangedAt,
    string? ValidUntil, string? ExchangeBranch, int Resends)
{
    /// <summary>Where the coupon's state last came from and when (교환 알림 / 상태 조회 / C/S / 시스템, KST), from its status history.</summary>
    public string? StatusSource { get; init; }
}

public sealed record RecipientItemPage(IReadOnlyList<RecipientItemRow> Items, long Total, string? NextCursor);

/// <summary>
/// Reads a campaign's delivery items with their coupon, current message and recipient row. Only the rows of the page
/// (or of the export) are decrypted, and only to be masked; coupon numbers come from
/// <see cref="CouponRepository.RevealNumbersAsync"/>; searching goes through the indexes of <see cref="ItemSearch"/>.
/// </summary>
public sealed class RecipientItems(DbConnectionFactory connections, PiiReader reader, CouponRepository coupons, TimeProvider time)
{
    /// <summary>Filter chips 전체 / 실패만 / 발급실패 / 미교환 / 교환 as SQL conditions on the joined rows.</summary>
    public static readonly IReadOnlyDictionary<string, string> Filters = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["all"] = "1 = 1",
        ["failed"] = $"di.status IN ('{ItemStatus.IssueFailed}', '{ItemStatus.RenderFailed}', '{ItemStatus.SendFailed}')",
        ["issue_failed"] = $"di.status = '{ItemStatus.IssueFailed}'",
        ["unused"] = $"c.status = '{CouponStatus.Unused}' AND di.status <> '{ItemStatus.Cancelled}'",
        ["used"] = $"c.status IN ('{CouponStatus.Used}', '{CouponStatus.PartiallyUsed}')",
    };

    // FORCE INDEX: with ORDER BY di.id LIMIT n the optimizer prefers walking the primary key from the first item of all
    // campaigns, hoping to fill the page early; on a year of data that read 822,000 rows a page (D-PERF-1).
    private const string From = """
        FROM delivery_items di FORCE INDEX (ix_delivery_items_campaign)
        LEFT JOIN coupons c ON c.id = di.coupon_id
        LEFT JOIN messages m ON m.id = di.message_id
        LEFT JOIN recipient_list_rows r ON r.list_id = di.list_id AND r.seq = di.seq
        LEFT JOIN issuance_orders o ON o.id = di.order_id
        """;

    // Every LEFT JOIN of From goes to a unique key, so none changes the count: the total joins only what its conditions
    // name, and without the page's FORCE INDEX (no ORDER BY … LIMIT here) it is read from (campaign_id, status, id) alone.
    // Joining all four made each page read the campaign's items twice over (40,000 rows, seconds under load; D-PERF-1).
    private static readonly HashSet<string> CouponFilters = new(StringComparer.Ordinal) { "unused", "used" };

    private static string CountFrom(string filter, ItemSearch? search) =>
        search is not null ? From
        : CouponFilters.Contains(filter) ? "FROM delivery_items di LEFT JOIN coupons c ON c.id = di.coupon_id"
        : "FROM delivery_items di";

    public async Task<bool> CampaignExistsAsync(long campaignId, CancellationToken ct)
    {
        await using var connection = await connections.OpenAsync(ct);
        return await connection.ExecuteScalarAsync<int>(new CommandDefinition(
            "SELECT COUNT(*) FROM campaigns WHERE id = @campaignId AND deleted_at IS NULL", new { campaignId }, cancellationToken: ct)) > 0;
    }

    public async Task<RecipientItemPage> PageAsync(long campaignId, string filter, ItemSearch? search, long? afterId, int take, CancellationToken ct)
    {
        var (where, args) = Conditions(campaignId, filter, search);
        await using var connection = await connections.OpenAsync(ct);
        var total = await connection.ExecuteScalarAsync<long>(new CommandDefinition($"SELECT COUNT(*) {CountFrom(filter, search)} WHERE {where}", args, cancellationToken: ct));
        if (afterId is { } after)
        {
            where += " AND di.id > @afterId";
            args.Add("afterId", after);
        }

        args.Add("take", take + 1);
        var rows = (await connection.QueryAsync<Row>(new CommandDefinition(
            $"{Select} {From} WHERE {where} ORDER BY di.id LIMIT @take", args, cancellationToken: ct))).ToList();
        var numbers = await NumbersAsync(rows, ct);
        var page = rows.Take(take).Select(r => ToView(r, numbers, clear: false)).ToList();
        return new RecipientItemPage(page, total, rows.Count > take ? page[^1].ItemId.ToString(System.Globalization.CultureInfo.InvariantCulture) : null);
    }

    /// <summary>Every item of the campaign in order, in batches, for the Excel export (masked unless <paramref name="clear"/>).</summary>
    public async IAsyncEnumerable<RecipientItemRow> AllAsync(long campaignId, bool clear, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken ct)
    {
        const int batch = 1000;
        long after = 0;
        await using var connection = await connections.OpenAsync(ct);
        while (true)
        {
            var rows = (await connection.QueryAsync<Row>(new CommandDefinition(
                $"{Select} {From} WHERE di.campaign_id = @campaignId AND di.id > @after ORDER BY di.id LIMIT {batch}",
                new { campaignId, after }, cancellationToken: ct))).ToList();
            var numbers = await NumbersAsync(rows, ct);
            foreach (var row in rows)
            {
                yield return ToView(row, numbers, clear);
            }

            if (rows.Count < batch)
            {
                yield break;
            }

            after = rows[^1].ItemId;
        }
    }

    private const string Select = """
        SELECT di.id AS ItemId, di.seq AS No, di.status AS Status, di.failure_code AS FailureCode, di.failure_reason AS FailureReason,
               m.phone_enc AS PhoneEnc, c.id AS CouponId, c.status AS CouponStatus,
               COALESCE(c.order_id, o.coufun_order_id) AS OrderId, c.last_exchange_at AS ExchangedAt, c.valid_until AS ValidUntil,
               m.status AS MessageStatus, m.req_at AS RequestAt, m.done_at AS DoneAt, m.done_code AS DoneCode, m.done_code_desc AS DoneDesc,
               (SELECT e.branch_name FROM coupon_exchanges e WHERE e.coupon_id = c.id AND e.applied = 1 ORDER BY e.exchanged_at DESC LIMIT 1) AS Branch,
               (SELECT COUNT(*) FROM messages mm WHERE mm.recipient_id = di.id AND mm.message_type <> 'INITIAL') AS Resends,
               (SELECT h.source FROM coupon_status_history h WHERE h.coupon_id = c.id ORDER BY h.id DESC LIMIT 1) AS Source,
               (SELECT h.occurred_at FROM coupon_status_history h WHERE h.coupon_id = c.id ORDER BY h.id DESC LIMIT 1) AS SourceAt,
               m.id AS MessageId, r.phone_enc AS RowPhoneEnc, di.list_id AS ListId
        """;

    private static (string Where, DynamicParameters Args) Conditions(long campaignId, string filter, ItemSearch? search)
    {
        var args = new DynamicParameters();
        args.Add("campaignId", campaignId);
        var where = $"di.campaign_id = @campaignId AND ({Filters[filter]})";
        if (search is { Last4: { } last4 })
        {
            where += " AND c.coupon_number_last4 = @last4";
            args.Add("last4", last4);
        }
        else if (search is not null)
        {
            where += search.PhoneIndex is null
                ? " AND c.coupon_number_index = @couponIndex"
                : " AND (c.coupon_number_index = @couponIndex OR r.phone_bidx = @phoneIndex)";
            args.Add("couponIndex", search.CouponIndex);
            args.Add("phoneIndex", search.PhoneIndex);
        }

        return (where, args);
    }

    private Task<IReadOnlyDictionary<long, string>> NumbersAsync(IEnumerable<Row> rows, CancellationToken ct) =>
        coupons.RevealNumbersAsync([.. rows.Where(r => r.CouponId is not null).Select(r => r.CouponId!.Value)], ct);

    private RecipientItemRow ToView(Row r, IReadOnlyDictionary<long, string> numbers, bool clear)
    {
        // The message's phone is bound to the message, the recipient row's to (list, seq) (D-SEC-12). A value that cannot
        // be read where it is shows as 복호화 불가 (logged without the value) instead of failing the page.
        var phone = r.PhoneEnc is { } sent && r.MessageId is { } messageId
            ? reader.TryReveal(sent, MessagesSetup.PhoneColumn.PlaceOf(messageId))
            : r.RowPhoneEnc is { } row ? reader.TryReveal(row, RecipientsModule.PhoneColumn.PlaceOf(r.ListId, r.No)) : "";
        var coupon = r.CouponId is { } id ? numbers.GetValueOrDefault(id) : null;
        var failed = r.Status is ItemStatus.IssueFailed or ItemStatus.RenderFailed;
        return new RecipientItemRow(
            r.ItemId, r.No,
            phone is null ? PiiReader.Unreadable : clear ? phone : Masking.Phone(phone),
            coupon is null ? null : clear ? coupon : Masking.CouponNumber(coupon),
            r.OrderId, r.CouponStatus, ItemLabels.Coupon(r.CouponStatus),
            r.Status, ItemLabels.Delivery(r.Status, r.MessageStatus, r.RequestAt, time.GetUtcNow().UtcDateTime),
            failed ? r.FailureCode : r.DoneCode ?? r.FailureCode,
            failed ? r.FailureReason : r.DoneDesc ?? r.FailureReason,
            r.DoneAt is { } done ? Kst.FormatMinute(done) : null,
            r.ExchangedAt is { } exchanged ? Kst.FormatMinute(exchanged) : null,
            r.ValidUntil?.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture),
            r.Branch, (int)r.Resends)
        {
            StatusSource = r.Source is null ? null : CouponReviews.SourceLabel(r.Source) + (r.SourceAt is { } at ? " " + Kst.FormatMinute(at) : ""),
        };
    }

    private sealed record Row(
        long ItemId, int No, string Status, string? FailureCode, string? FailureReason, byte[]? PhoneEnc, long? CouponId, string? CouponStatus,
        string? OrderId, DateTime? ExchangedAt, DateTime? ValidUntil, string? MessageStatus, DateTime? RequestAt, DateTime? DoneAt, string? DoneCode,
        string? DoneDesc, string? Branch, long Resends, string? Source, DateTime? SourceAt, long? MessageId, byte[]? RowPhoneEnc, long ListId);
}
