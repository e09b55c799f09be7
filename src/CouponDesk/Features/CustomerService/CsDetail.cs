using System.Globalization;
using CouponDesk.Data;
using CouponDesk.Features.Coupons;
using CouponDesk.Features.Messages;
using CouponDesk.Features.Pipeline.Cancels;
using CouponDesk.Features.Recipients;
using CouponDesk.Security.Masking;
using CouponDesk.Security.Pii;
using CouponDesk.Shared.Snap;
using CouponDesk.Shared.Time;
using Dapper;

namespace CouponDesk.Features.CustomerService;

/// <summary>쿠폰 정보 of the detail panel (spec §3.4.2).</summary>
public sealed record CsCouponInfo(
    string CouponType, string CouponTypeLabel, string? ValidUntil, int FaceValue, int? Balance, string? ExchangedAt, string? ExchangeBranch,
    string? CancelledAt, string? StatusSource, string? StatusSourceLabel, string? StatusUpdatedAt);

/// <summary>One line of 발송 이력: one message.</summary>
public sealed record CsMessageLine(long MessageId, string? RequestedAt, string Type, string TypeLabel, string Phone, string Status, string StatusLabel,
    string? DoneCode, string? DoneDescription, string? DoneAt);

/// <summary>One line of CS 처리 이력.</summary>
public sealed record CsHistoryLine(long Id, string At, string Action, string ActionLabel, string? Actor, string Result, string ResultLabel, string? Failure,
    string? Before, string? After, string? ReasonCode, string? Memo, string? Approver);

/// <summary>An item of the 번호변경 lineage.</summary>
public sealed record CsLineageItem(long ItemId, string Phone, string DeliveryStatus, string? CouponNumber, bool Current);

/// <summary>The expanded row (spec §3.4.2): the row itself plus coupon, messages, C/S history and lineage.</summary>
public sealed record CsItemDetail(CsRow Row, CsCouponInfo? Coupon, IReadOnlyList<CsMessageLine> Messages, IReadOnlyList<CsHistoryLine> History,
    IReadOnlyList<CsLineageItem> Lineage, bool CanRevealPhone, bool CanRevealCouponNumber, bool CanViewImage);

/// <summary>Reads the detail panel of one item. Memos are decrypted for ADMIN/OPERATOR (the only roles with C/S).</summary>
public sealed class CsDetail(DbConnectionFactory connections, CsRows rows, PiiReader reader, TimeProvider time)
{
    public async Task<CsRow?> RowAsync(long itemId, CancellationToken ct)
    {
        await using var c = await connections.OpenAsync(ct);
        var data = (await c.QueryAsync<CsRowData>(new CommandDefinition(
            $"SELECT {CsItemStates.StateColumns}, {CsRows.RowColumns} {CsItemStates.From} WHERE di.id = @itemId AND cp.deleted_at IS NULL", new { itemId }, cancellationToken: ct))).ToList();
        return data.Count == 0 ? null : rows.Build(data)[0];
    }

    public async Task<CsItemDetail?> GetAsync(long itemId, bool canRevealPhone, bool canRevealCoupon, CancellationToken ct)
    {
        var row = await RowAsync(itemId, ct);
        if (row is null)
        {
            return null;
        }

        await using var c = await connections.OpenAsync(ct);
        var couponId = await c.ExecuteScalarAsync<long?>(new CommandDefinition("SELECT coupon_id FROM delivery_items WHERE id = @itemId", new { itemId }, cancellationToken: ct));
        var coupon = couponId is { } id ? await CouponAsync(c, id, ct) : null;
        return new CsItemDetail(row, coupon, await MessagesAsync(c, itemId, ct), await HistoryAsync(c, itemId, ct), await LineageAsync(c, itemId, ct),
            canRevealPhone, canRevealCoupon && couponId is not null, couponId is not null);
    }

    private sealed record CouponRow(string CouponType, DateTime ValidUntil, int FaceValue, int Balance, DateTime? LastExchangeAt, DateTime IssuedAt,
        string? Branch, DateTime? CancelledAt, string? Source, DateTime? SourceAt);

    private static async Task<CsCouponInfo> CouponAsync(MySqlConnector.MySqlConnection c, long couponId, CancellationToken ct)
    {
        var k = await c.QuerySingleAsync<CouponRow>(new CommandDefinition(
            $"""
            SELECT k.coupon_type AS CouponType, k.valid_until AS ValidUntil, k.face_value AS FaceValue, k.balance AS Balance, k.last_exchange_at AS LastExchangeAt, k.issued_at AS IssuedAt,
              (SELECT e.branch_name FROM coupon_exchanges e WHERE e.coupon_id = k.id AND e.applied = 1 ORDER BY e.exchanged_at DESC LIMIT 1) AS Branch,
              COALESCE((SELECT MAX(h.occurred_at) FROM coupon_status_history h WHERE h.coupon_id = k.id AND h.new_status = '{CouponStatus.Cancelled}'),
                       (SELECT x.finished_at FROM coupon_cancels x WHERE x.coupon_id = k.id AND x.state = '{CouponCancelState.Done}')) AS CancelledAt,
              (SELECT h.source FROM coupon_status_history h WHERE h.coupon_id = k.id ORDER BY h.id DESC LIMIT 1) AS Source,
              (SELECT h.occurred_at FROM coupon_status_history h WHERE h.coupon_id = k.id ORDER BY h.id DESC LIMIT 1) AS SourceAt
            FROM coupons k WHERE k.id = @couponId
            """, new { couponId }, cancellationToken: ct));
        // The newest of: a status-history row, the last applied exchange push, the issuance itself.
        var (source, at) = k.SourceAt is { } h && (k.LastExchangeAt is null || h >= k.LastExchangeAt) ? (k.Source, h)
            : k.LastExchangeAt is { } pushed ? (CouponStatusSource.Push, pushed)
            : (CouponStatusSource.System, k.IssuedAt);
        var amount = k.CouponType == CouponType.Amount;
        return new CsCouponInfo(k.CouponType, amount ? "금액권" : "교환권", k.ValidUntil.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), k.FaceValue,
            amount ? k.Balance : null, k.LastExchangeAt is { } ex ? Kst.FormatMinute(ex) : null, k.Branch, k.CancelledAt is { } cx ? Kst.FormatMinute(cx) : null,
            source, SourceLabel(source), Kst.FormatMinute(at));
    }

    public static string? SourceLabel(string? source) => source switch
    {
        CouponStatusSource.Push => "교환 알림(push)",
        CouponStatusSource.Poll => "주기 조회",
        CouponStatusSource.CustomerService => "수동 조회(C/S)",
        CouponStatusSource.System => "시스템",
        _ => source,
    };

    private async Task<List<CsMessageLine>> MessagesAsync(MySqlConnector.MySqlConnection c, long itemId, CancellationToken ct)
    {
        var rows = await c.QueryAsync<(long Id, DateTime ReqAt, string Type, byte[]? PhoneEnc, string Status, string? DoneCode, string? DoneDesc, DateTime? DoneAt)>(new CommandDefinition(
            "SELECT id, req_at, message_type, phone_enc, status, done_code, done_code_desc, done_at FROM messages WHERE recipient_id = @itemId ORDER BY id",
            new { itemId }, cancellationToken: ct));
        var now = time.GetUtcNow().UtcDateTime;
        return [.. rows.Select(m => new CsMessageLine(m.Id, Kst.FormatMinute(m.ReqAt), m.Type, TypeLabel(m.Type),
            reader.Masked(m.PhoneEnc, MessagesSetup.PhoneColumn.PlaceOf(m.Id), Masking.Phone), m.Status, MessageLabel(m.Status, m.ReqAt, now),
            m.DoneCode, m.DoneDesc ?? SnapDoneCodes.Find(m.DoneCode)?.MeaningKo, m.DoneAt is { } done ? Kst.FormatMinute(done) : null))];
    }

    public static string TypeLabel(string type) => type switch
    {
        Messages.MessageType.Initial => "최초 발송",
        Messages.MessageType.AutoRetry => "자동 재발송",
        Messages.MessageType.BulkRetry => "실패 건 재시도",
        Messages.MessageType.CsResend => "C/S 재발송",
        Messages.MessageType.AfterPhoneChange => "번호변경 발송",
        _ => type,
    };

    private static string MessageLabel(string status, DateTime reqAt, DateTime now) => status switch
    {
        Messages.MessageStatus.Ready => reqAt > now ? "발송예약" : "발송대기",
        Messages.MessageStatus.InAgent => "발송중",
        Messages.MessageStatus.Withdrawn => "발송취소",
        Messages.MessageStatus.Success => "성공",
        Messages.MessageStatus.Failure => "실패",
        Messages.MessageStatus.ResultTimeout => "결과 미수신",
        _ => status,
    };

    private async Task<List<CsHistoryLine>> HistoryAsync(MySqlConnector.MySqlConnection c, long itemId, CancellationToken ct)
    {
        var rows = await c.QueryAsync<(long Id, DateTime At, string Action, string? Actor, string Result, string? Failure, string? Before, string? After, string? ReasonCode, byte[]? MemoEnc, string? Approver)>(new CommandDefinition(
            """
            SELECT id, created_at, action, actor_login, result, failure, before_state, after_state, reason_code, memo_enc, approver_login
            FROM cs_actions WHERE item_id = @itemId ORDER BY id DESC LIMIT 200
            """, new { itemId }, cancellationToken: ct));
        return [.. rows.Select(a => new CsHistoryLine(a.Id, Kst.FormatMinute(a.At), a.Action, CsActionNames.Label(a.Action), a.Actor, a.Result, CsActionNames.ResultLabel(a.Result),
            a.Failure, a.Before, a.After, a.ReasonCode, a.MemoEnc is null ? null : reader.TryReveal(a.MemoEnc, CsSetup.MemoColumn.PlaceOf(a.Id)) ?? PiiReader.Unreadable, a.Approver))];
    }

    /// <summary>The whole 번호변경 chain this item belongs to, oldest first (at most 1 + 2 changes).</summary>
    private async Task<List<CsLineageItem>> LineageAsync(MySqlConnector.MySqlConnection c, long itemId, CancellationToken ct)
    {
        var ids = (await c.QueryAsync<long>(new CommandDefinition(
            """
            WITH RECURSIVE up (id, parent) AS (
                SELECT id, parent_item_id FROM delivery_items WHERE id = @itemId
                UNION SELECT d.id, d.parent_item_id FROM delivery_items d JOIN up ON d.id = up.parent),
              down (id) AS (
                SELECT id FROM up WHERE parent IS NULL
                UNION SELECT d.id FROM delivery_items d JOIN down ON d.parent_item_id = down.id)
            SELECT id FROM down ORDER BY id
            """, new { itemId }, cancellationToken: ct))).ToList();
        if (ids.Count <= 1)
        {
            return [];
        }

        var items = (await c.QueryAsync<(long Id, string Status, byte[]? PhoneEnc, int? CouponEncLength, string? CouponLast4, string? MessageStatus, DateTime? ReqAt, long ListId, int Seq)>(new CommandDefinition(
            $"""
            SELECT di.id, di.status, r.phone_enc, {CouponRepository.MaskColumns("k")}, m.status, m.req_at, di.list_id, di.seq FROM delivery_items di
            LEFT JOIN recipient_list_rows r ON r.list_id = di.list_id AND r.seq = di.seq LEFT JOIN messages m ON m.id = di.message_id
            LEFT JOIN coupons k ON k.id = di.coupon_id
            WHERE di.id IN @ids ORDER BY di.id
            """, new { ids }, cancellationToken: ct))).ToList();
        var now = time.GetUtcNow().UtcDateTime;
        return [.. items.Select(i => new CsLineageItem(i.Id, reader.Masked(i.PhoneEnc, RecipientsModule.PhoneColumn.PlaceOf(i.ListId, i.Seq), Masking.Phone),
            CampaignDetail.ItemLabels.Delivery(i.Status, i.MessageStatus, i.ReqAt, now),
            i is { CouponEncLength: { } length, CouponLast4: { } last4 } ? CouponRepository.Masked(length, last4) : null, i.Id == itemId))];
    }
}
