using CouponDesk.Data;
using CouponDesk.Features.Pipeline;
using CouponDesk.Shared.Time;

namespace CouponDesk.Features.Reconciliation;

/// <summary>
/// The reconciliation report of one KST day (issue 8): in-doubt orders called that day (TR_ID, time, goods, count,
/// value), coupons issued that day but never delivered, messages whose failure that day has a resend-recommended code,
/// and what the day's coupons cost. Same queries as a campaign's report (<see cref="ReconciliationQueries"/>).
/// </summary>
public sealed record DailyReconciliationReport(
    string Date,
    DateTime FromUtc,
    DateTime ToUtc,
    IReadOnlyList<InDoubtOrderView> InDoubtOrders,
    int OpenInDoubtOrders,
    long InDoubtValue,
    int IssuedNotDelivered,
    int ResendRecommendedFailures,
    long CouponsIssued,
    long IssuedValue,
    long TotalCost);

public sealed class DailyReconciliation(DbConnectionFactory connections)
{
    public async Task<DailyReconciliationReport> ForDayAsync(DateOnly kstDay, CancellationToken ct)
    {
        var from = Kst.ToUtc(kstDay.ToDateTime(TimeOnly.MinValue));
        var to = Kst.ToUtc(kstDay.AddDays(1).ToDateTime(TimeOnly.MinValue));
        var scope = ReconciliationScope.Between(from, to);
        await using var c = await connections.OpenAsync(ct);
        var inDoubt = await ReconciliationQueries.InDoubtOrdersAsync(c, scope, ct);
        var issuedNotDelivered = await ReconciliationQueries.IssuedNotDeliveredAsync(c, scope, ct);
        var resend = await ReconciliationQueries.ResendRecommendedFailuresAsync(c, scope, ct);
        var issued = await ReconciliationQueries.IssuedAsync(c, scope, ct);
        var open = inDoubt.Where(o => o.Status == OrderStatus.InDoubt).ToList();
        return new DailyReconciliationReport(
            kstDay.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture), from, to, inDoubt, open.Count, open.Sum(o => o.Value),
            issuedNotDelivered, resend, issued.Count, issued.FaceValue, issued.Cost);
    }
}
