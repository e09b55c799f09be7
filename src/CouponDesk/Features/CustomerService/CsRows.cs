using System.Globalization;
using CouponDesk.Features.CampaignDetail;
using CouponDesk.Features.Coupons;
using CouponDesk.Features.Recipients;
using CouponDesk.Security.Masking;
using CouponDesk.Security.Pii;
using CouponDesk.Shared.Time;

namespace CouponDesk.Features.CustomerService;

/// <summary>One row of the C/S result table (spec §3.4.2): masked values only, times as KST text, and the action buttons' state.</summary>
public sealed record CsRow(
    long ItemId,
    long CampaignId,
    int Version,
    string? SendAt,
    string ClientName,
    string EventName,
    string? ProductName,
    int? ListPrice,
    string? ValidUntil,
    bool Expired,
    string? CouponStatus,
    string CouponLabel,
    string CouponBadge,
    string ItemStatus,
    string DeliveryLabel,
    string? DeliveryReason,
    string Phone,
    string? CouponNumber,
    int ResendCount,
    int MaxResends,
    int PhoneChangeCount,
    int MaxPhoneChanges,
    bool HasHistory,
    CsActions Actions)
{
    /// <summary>"승인 대기" (spec §1.3 item 2): a two-person approval request on this item waits for a decision.</summary>
    public bool ApprovalPending { get; init; }
}

/// <summary>A recipient of a campaign that has not started yet (SCHEDULED): shown as 발급 전, no item to act on yet.</summary>
public sealed record CsScheduledRow(long CampaignId, string? SendAt, string ClientName, string EventName, string? ProductName, int? ListPrice, string Phone);

/// <summary>The columns a row needs besides <see cref="CsItemState"/>.</summary>
public sealed record CsRowData : CsItemState
{
    public DateTime SortAt { get; init; }

    public string ClientName { get; init; } = "";

    public string EventName { get; init; } = "";

    public string? ProductName { get; init; }

    public int? ListPrice { get; init; }

    public string? FailureReason { get; init; }

    public string? FailureCode { get; init; }

    public byte[]? PhoneEnc { get; init; }

    /// <summary>The recipient row's key: the place its phone is bound to (D-SEC-12).</summary>
    public long ListId { get; init; }

    public int Seq { get; init; }

    public int? Balance { get; init; }

    public string? CouponType { get; init; }

    public DateTime? RequestAt { get; init; }

    public string? DoneCode { get; init; }

    public string? DoneDesc { get; init; }

    public bool HasHistory { get; init; }

    public int? CouponEncLength { get; init; }

    public string? CouponLast4 { get; init; }

    /// <summary>All rows of the search (a window count over the whole result, before the page's cursor and limit).</summary>
    public long Total { get; init; }
}

/// <summary>Builds <see cref="CsRow"/>s: decrypts only to mask, labels from spec §4.3/§4.6, buttons from <see cref="CsRules"/>.</summary>
public sealed class CsRows(PiiReader reader, CsOptions options, Pipeline.Resends.ResendOptions resends, TimeProvider time)
{
    /// <summary>The extra columns of a row (with <see cref="CsItemStates.StateColumns"/> and <see cref="CsItemStates.From"/>).</summary>
    public static readonly string RowColumns = $"""
        COALESCE(cp.scheduled_at, cp.start_at, cp.created_at) AS SortAt, cp.client_name AS ClientName, cp.event_name AS EventName,
        cp.product_name AS ProductName, cp.list_price AS ListPrice, di.failure_code AS FailureCode, di.failure_reason AS FailureReason,
        r.phone_enc AS PhoneEnc, di.list_id AS ListId, di.seq AS Seq, {CouponRepository.MaskColumns("c")}, c.balance AS Balance, c.coupon_type AS CouponType, m.req_at AS RequestAt, m.done_code AS DoneCode, m.done_code_desc AS DoneDesc,
        (di.parent_item_id IS NOT NULL OR EXISTS (SELECT 1 FROM cs_actions a WHERE a.item_id = di.id)
          OR EXISTS (SELECT 1 FROM messages mh WHERE mh.recipient_id = di.id AND mh.id <> COALESCE(di.message_id, 0))
          OR EXISTS (SELECT 1 FROM delivery_items ch WHERE ch.parent_item_id = di.id)) AS HasHistory
        """;

    public List<CsRow> Build(IReadOnlyList<CsRowData> data)
    {
        var now = time.GetUtcNow().UtcDateTime;
        var today = DateOnly.FromDateTime(Kst.ToKst(now));
        return [.. data.Select(d => Build(d, now, today))];
    }

    private CsRow Build(CsRowData d, DateTime now, DateOnly today)
    {
        var expired = d.IsExpired(today);
        var (label, badge) = CouponLabel(d, expired);
        var failed = d.ItemStatus is Pipeline.ItemStatus.IssueFailed or Pipeline.ItemStatus.RenderFailed or Pipeline.ItemStatus.SendFailed;
        return new CsRow(
            d.ItemId, d.CampaignId, d.Version, Kst.FormatMinute(d.SortAt), d.ClientName, d.EventName, d.ProductName, d.ListPrice,
            d.ValidUntil?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), expired, d.CouponStatus, label, badge,
            d.ItemStatus, ItemLabels.Delivery(d.ItemStatus, d.MessageStatus, d.RequestAt, now),
            failed ? Reason(d) : null,
            reader.Masked(d.PhoneEnc, RecipientsModule.PhoneColumn.PlaceOf(d.ListId, d.Seq), Masking.Phone),
            d is { CouponEncLength: { } length, CouponLast4: { } last4 } ? CouponRepository.Masked(length, last4) : null,
            d.ResendCount, resends.MaxOperatorResends, d.PhoneChangeCount, options.MaxPhoneChanges, d.HasHistory,
            CsRules.Decide(d, today, resends.MaxOperatorResends, options.MaxPhoneChanges))
        { ApprovalPending = d.ApprovalPending };
    }

    private static string? Reason(CsRowData d)
    {
        var code = d.ItemStatus == Pipeline.ItemStatus.SendFailed ? d.DoneCode ?? d.FailureCode : d.FailureCode;
        var text = d.ItemStatus == Pipeline.ItemStatus.SendFailed ? d.DoneDesc ?? d.FailureReason : d.FailureReason;
        return text is null ? code : code is null ? text : $"[{code}] {text}";
    }

    /// <summary>쿠폰상태 (spec §3.4.2, §4.6): 미교환 grey, 교환 green, 폐기 red, 부분사용 with its balance, 만료, 발급 전.</summary>
    private static (string Label, string Badge) CouponLabel(CsRowData d, bool expired)
    {
        if (d.CouponStatus is null)
        {
            return ("발급 전", "light");
        }

        if (expired && d.CouponStatus is CouponStatus.Unused or CouponStatus.PartiallyUsed or CouponStatus.Expired)
        {
            return ("만료", "dark");
        }

        return d.CouponStatus switch
        {
            CouponStatus.Unused => ("미교환", "secondary"),
            CouponStatus.Used => ("교환", "success"),
            CouponStatus.Cancelled when d.ItemStatus == Pipeline.ItemStatus.Replaced => ("폐기 (번호변경)", "danger"),
            CouponStatus.Cancelled => ("폐기", "danger"),
            CouponStatus.PartiallyUsed => (string.Create(CultureInfo.InvariantCulture, $"부분사용 (잔액 {d.Balance ?? 0:N0}원)"), "info"),
            _ => (ItemLabels.Coupon(d.CouponStatus), "secondary"),
        };
    }
}
