using CouponDesk.Data;
using CouponDesk.Features.Pipeline;
using Dapper;

namespace CouponDesk.Features.Reconciliation;

public sealed record InDoubtOrderView(long OrderId, string? TrId, string GoodsId, int CreateCount, long Value, string Status, string? ResultCode, string? Failure, DateTime CreatedAt, DateTime? RequestedAt);

/// <summary>The reconciliation report of a campaign (spec §3.10, issue 8): in-doubt orders, issued but undelivered coupons, resend-recommended failures, cost.</summary>
public sealed record ReconciliationReport(
    long CampaignId,
    IReadOnlyList<InDoubtOrderView> InDoubtOrders,
    int IssuedNotDelivered,
    int ResendRecommendedFailures,
    int CouponsIssued,
    long IssuedValue,
    long InDoubtValue);

/// <summary>
/// A campaign's reconciliation report (spec §3.10, P23), served at <c>/api/campaigns/{id}/pipeline/reconciliation</c>; its
/// queries are shared with the daily report.
/// </summary>
public sealed class CampaignReconciliation(DbConnectionFactory connections)
{
    public async Task<ReconciliationReport?> ReconcileAsync(long id, CancellationToken ct)
    {
        await using var c = await connections.OpenAsync(ct);
        if (await c.ExecuteScalarAsync<int>(new CommandDefinition("SELECT COUNT(*) FROM campaigns WHERE id = @id AND deleted_at IS NULL", new { id }, cancellationToken: ct)) == 0)
        {
            return null;
        }

        var scope = ReconciliationScope.Campaign(id);
        var inDoubt = await ReconciliationQueries.InDoubtOrdersAsync(c, scope, ct);
        var issuedNotDelivered = await ReconciliationQueries.IssuedNotDeliveredAsync(c, scope, ct);
        var resend = await ReconciliationQueries.ResendRecommendedFailuresAsync(c, scope, ct);
        var issued = await ReconciliationQueries.IssuedAsync(c, scope, ct);
        return new ReconciliationReport(id, inDoubt, issuedNotDelivered, resend, (int)issued.Count, issued.FaceValue, inDoubt.Where(o => o.Status == OrderStatus.InDoubt).Sum(o => o.Value));
    }
}
