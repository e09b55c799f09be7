using System.Globalization;
using CouponDesk.Data;
using CouponDesk.Features.Audit;
using CouponDesk.Web.Errors;
using Dapper;

namespace CouponDesk.Features.Coupons;

/// <summary>One flagged status-history row as the ADMIN list shows it (no coupon number but its masked last 4).</summary>
public sealed record CouponReviewItem(
    long Id, long CouponId, long? CampaignId, string? EventName, string CouponMasked, string Review, string ReviewLabel, string Source, string SourceLabel,
    string? OldStatus, string OldStatusLabel, string NewStatus, string NewStatusLabel, int? OldBalance, int? NewBalance, string? SupplierStatus, string? Note,
    DateTime OccurredAt, DateTime? ReviewedAt);

public sealed record CouponReviewPage(IReadOnlyList<CouponReviewItem> Items, long? NextCursor, int OpenCount);

/// <summary>
/// 쿠폰 상태 확인 (spec §4.3 rule): the supplier/record conflicts applied and flagged, and the answers kept because they
/// could not be applied, newest first; an ADMIN marks one reviewed (audited). The dashboard counts the open ones.
/// </summary>
public sealed class CouponReviews(DbConnectionFactory connections, AuditTrail audit, TimeProvider time)
{
    public const string AcknowledgedAction = "coupon.review_acknowledged";

    public static string ReviewLabel(string? review) => review switch
    {
        CouponReview.Unreadable => "응답 값 오류 (미반영)",
        CouponReview.NotFound => "공급사 조회 거절 (미반영)",
        _ => "공급사 상태와 불일치 (공급사 기준 반영)",
    };

    public static string SourceLabel(string source) => source switch
    {
        CouponStatusSource.Push => "교환 알림",
        CouponStatusSource.Poll => "상태 조회",
        CouponStatusSource.CustomerService => "C/S",
        CouponStatusSource.System => "시스템",
        _ => source,
    };

    /// <summary>Flagged rows not yet reviewed (the dashboard's 확인 필요 count).</summary>
    public static Task<int> OpenCountAsync(MySqlConnector.MySqlConnection c, CancellationToken ct) =>
        c.ExecuteScalarAsync<int>(new CommandDefinition("SELECT COUNT(*) FROM coupon_status_history WHERE flagged = 1 AND reviewed_at IS NULL", cancellationToken: ct));

    public async Task<CouponReviewPage> ListAsync(bool openOnly, long? cursor, int limit, CancellationToken ct)
    {
        await using var c = await connections.OpenAsync(ct);
        var rows = (await c.QueryAsync<Row>(new CommandDefinition(
            $"""
            SELECT h.id, h.coupon_id AS CouponId, d.campaign_id AS CampaignId, cp.event_name AS EventName, {CouponRepository.MaskColumns("k")},
                   h.review, h.source, h.old_status AS OldStatus, h.new_status AS NewStatus, h.old_balance AS OldBalance, h.new_balance AS NewBalance,
                   h.supplier_status AS SupplierStatus, h.note, h.occurred_at AS OccurredAt, h.reviewed_at AS ReviewedAt
            FROM coupon_status_history h
            JOIN coupons k ON k.id = h.coupon_id
            LEFT JOIN delivery_items d ON d.id = (SELECT MIN(x.id) FROM delivery_items x WHERE x.coupon_id = h.coupon_id)
            LEFT JOIN campaigns cp ON cp.id = d.campaign_id
            WHERE h.flagged = 1 AND (@openOnly = 0 OR h.reviewed_at IS NULL) AND (@cursor IS NULL OR h.id < @cursor)
            ORDER BY h.id DESC LIMIT @take
            """, new { openOnly, cursor, take = limit + 1 }, cancellationToken: ct))).ToList();
        var page = rows.Take(limit).ToList();
        return new CouponReviewPage([.. page.Select(r => r.ToItem())], rows.Count > limit ? page[^1].Id : null, await OpenCountAsync(c, ct));
    }

    /// <summary>Marks a flagged row reviewed; audited in the same transaction. A row already reviewed is a 409, an unknown one 404.</summary>
    public async Task<Outcome> AcknowledgeAsync(long id, AuditActor actor, CancellationToken ct)
    {
        var now = time.GetUtcNow().UtcDateTime;
        await using var c = await connections.OpenAsync(ct);
        await using var tx = await c.BeginTransactionAsync(ct);
        var row = await c.QuerySingleOrDefaultAsync<(long CouponId, DateTime? ReviewedAt, string? Review)>(new CommandDefinition(
            "SELECT coupon_id, reviewed_at, review FROM coupon_status_history WHERE id = @id AND flagged = 1 FOR UPDATE", new { id }, tx, cancellationToken: ct));
        if (row.CouponId == 0)
        {
            return Refusal.NotFound("확인할 쿠폰 상태 기록을 찾을 수 없습니다.");
        }

        if (row.ReviewedAt is not null)
        {
            return Refusal.Conflict("REVIEW_ALREADY_DONE", "이미 확인 처리된 기록입니다. 화면을 새로 고쳐 주세요.");
        }

        await c.ExecuteAsync(new CommandDefinition(
            "UPDATE coupon_status_history SET reviewed_at = @now, reviewed_by = @by WHERE id = @id", new { id, now, by = actor.UserId }, tx, cancellationToken: ct));
        await audit.WriteAsync(actor.Entry(AcknowledgedAction) with
        {
            TargetType = "coupon",
            TargetId = row.CouponId.ToString(CultureInfo.InvariantCulture),
            Details = new Dictionary<string, string?> { ["historyId"] = id.ToString(CultureInfo.InvariantCulture), ["review"] = row.Review },
        }, c, tx, ct);
        await tx.CommitAsync(ct);
        return Outcome.Ok;
    }

    private sealed record Row(long Id, long CouponId, long? CampaignId, string? EventName, int CouponEncLength, string CouponLast4, string? Review, string Source,
        string? OldStatus, string NewStatus, int? OldBalance, int? NewBalance, string? SupplierStatus, string? Note, DateTime OccurredAt, DateTime? ReviewedAt)
    {
        public CouponReviewItem ToItem() => new(Id, CouponId, CampaignId, EventName, CouponRepository.Masked(CouponEncLength, CouponLast4), Review ?? CouponReview.Conflict,
            ReviewLabel(Review), Source, SourceLabel(Source), OldStatus, CouponStatus.Label(OldStatus), NewStatus, CouponStatus.Label(NewStatus), OldBalance, NewBalance,
            SupplierStatus, Note, OccurredAt, ReviewedAt);
    }
}
