using CouponDesk.Features.Pipeline;
using Dapper;
using MySqlConnector;

namespace CouponDesk.Features.Reconciliation;

/// <summary>
/// What a reconciliation report covers: one campaign (everything it ever did) or one KST day (orders called, coupons
/// issued and messages finished within it). The same queries serve both reports, only the filter differs.
/// </summary>
public sealed record ReconciliationScope(long? CampaignId, DateTime? FromUtc, DateTime? ToUtc)
{
    public static ReconciliationScope Campaign(long id) => new(id, null, null);

    public static ReconciliationScope Between(DateTime fromUtc, DateTime toUtc) => new(null, fromUtc, toUtc);

    /// <summary>A filter on <paramref name="campaignColumn"/> or on <paramref name="timeColumn"/> within [from, to).</summary>
    public string Where(string campaignColumn, string timeColumn) =>
        CampaignId is not null ? $"{campaignColumn} = @campaignId" : $"{timeColumn} >= @fromUtc AND {timeColumn} < @toUtc";

    public object Args => new { campaignId = CampaignId, fromUtc = FromUtc, toUtc = ToUtc };
}

/// <summary>Coupons bought in a scope: how many, their face value and what we paid.</summary>
public sealed record IssuedTotals(long Count, long FaceValue, long Cost);

/// <summary>
/// The reconciliation queries (issue 8 "Reconciliation report per campaign and per day"), shared by the campaign's
/// report (<see cref="CampaignReconciliation.ReconcileAsync"/>) and the daily report: in-doubt orders, coupons issued but never
/// delivered, messages failed with a resend-recommended code, and what was bought.
/// </summary>
public static class ReconciliationQueries
{
    /// <summary>In-doubt orders, open and settled (spec §4.4), oldest first.</summary>
    public static async Task<IReadOnlyList<InDoubtOrderView>> InDoubtOrdersAsync(MySqlConnection c, ReconciliationScope scope, CancellationToken ct) =>
        (await c.QueryAsync<InDoubtOrderView>(new CommandDefinition(
            $"""
            SELECT id AS OrderId, tr_id AS TrId, goods_id AS GoodsId, create_cnt AS CreateCount, CAST(create_cnt * unit_price AS SIGNED) AS Value, status AS Status,
                   result_code AS ResultCode, failure AS Failure, created_at AS CreatedAt, requested_at AS RequestedAt
            FROM issuance_orders
            WHERE {scope.Where("campaign_id", "created_at")} AND status IN ('{OrderStatus.InDoubt}', '{OrderStatus.SettledIssued}', '{OrderStatus.SettledNotIssued}') ORDER BY id
            """, scope.Args, cancellationToken: ct))).ToList();

    /// <summary>Items holding a coupon that never reached a handset and are not on their way (failed, cancelled, stopped).</summary>
    public static Task<int> IssuedNotDeliveredAsync(MySqlConnection c, ReconciliationScope scope, CancellationToken ct) =>
        c.ExecuteScalarAsync<int>(new CommandDefinition(
            $"""
            SELECT COUNT(*) FROM delivery_items d JOIN coupons k ON k.id = d.coupon_id
            WHERE {scope.Where("d.campaign_id", "k.issued_at")} AND d.ever_delivered = 0 AND d.status NOT IN ('{ItemStatus.Queued}', '{ItemStatus.Sent}')
            """, scope.Args, cancellationToken: ct));

    /// <summary>Items whose current message failed with a code LG marks "재전송 필요" (spec §4.5).</summary>
    public static Task<int> ResendRecommendedFailuresAsync(MySqlConnection c, ReconciliationScope scope, CancellationToken ct) =>
        c.ExecuteScalarAsync<int>(new CommandDefinition(
            $"""
            SELECT COUNT(*) FROM delivery_items d JOIN messages m ON m.id = d.message_id
            WHERE {scope.Where("d.campaign_id", "COALESCE(m.result_at, m.updated_at)")} AND d.status = '{ItemStatus.SendFailed}' AND m.outcome = 'RESEND_RECOMMENDED'
            """, scope.Args, cancellationToken: ct));

    /// <summary>Coupons bought (stored) in the scope.</summary>
    public static Task<IssuedTotals> IssuedAsync(MySqlConnection c, ReconciliationScope scope, CancellationToken ct) =>
        c.QuerySingleAsync<IssuedTotals>(new CommandDefinition(
            scope.CampaignId is not null
                ? "SELECT COUNT(*) AS Count, CAST(COALESCE(SUM(face_value), 0) AS SIGNED) AS FaceValue, CAST(COALESCE(SUM(price), 0) AS SIGNED) AS Cost FROM coupons WHERE order_ref IN (SELECT id FROM issuance_orders WHERE campaign_id = @campaignId)"
                : "SELECT COUNT(*) AS Count, CAST(COALESCE(SUM(face_value), 0) AS SIGNED) AS FaceValue, CAST(COALESCE(SUM(price), 0) AS SIGNED) AS Cost FROM coupons WHERE order_ref IS NOT NULL AND issued_at >= @fromUtc AND issued_at < @toUtc",
            scope.Args, cancellationToken: ct));
}
