using CouponDesk.Data;
using CouponDesk.Hosting;
using CouponDesk.Shared.Time;
using Dapper;
using Quartz;

namespace CouponDesk.Features.Coupons;

/// <summary>
/// The expiry marker (spec §4.3 K7, §5.6, §5.8: daily at 00:10 KST): UNUSED / PARTIALLY_USED coupons whose
/// <c>VALID_END_DATE</c> (a KST day, valid through its end) is before today (KST) become EXPIRED, each with a history row
/// (source SYSTEM), in batches of 1,000 so no transaction holds many locks. A use COUFUN reports later still wins (K8):
/// the push or a status read moves the coupon on to USED. A run that stops part-way is finished by the next one.
/// </summary>
public sealed class CouponExpiry(DbConnectionFactory connections, TimeProvider time, ILogger<CouponExpiry> logger)
{
    private const int Batch = 1000;

    public async Task<int> RunAsync(CancellationToken ct)
    {
        var today = DateOnly.FromDateTime(Kst.Now(time)).ToDateTime(TimeOnly.MinValue);
        var live = CouponStatus.Machine.InSql(CouponStatus.Unused, CouponStatus.PartiallyUsed);
        var total = 0;
        while (true)
        {
            var expired = await DeadlockRetry.RunAsync(async () =>
            {
                await using var c = await connections.OpenAsync(ct);
                await using var tx = await c.BeginTransactionAsync(ct);
                var ids = (await c.QueryAsync<long>(new CommandDefinition(
                    $"SELECT id FROM coupons WHERE status IN {live} AND valid_until < @today ORDER BY id LIMIT {Batch} FOR UPDATE",
                    new { today }, tx, cancellationToken: ct))).ToList();
                var n = await CouponTransitions.ExpiredAsync(c, tx, ids, time.GetUtcNow().UtcDateTime, ct);
                await tx.CommitAsync(ct);
                return n;
            }, logger, "coupon expiry");
            total += expired;
            if (expired < Batch)
            {
                break;
            }
        }

        logger.LogInformation("Expiry marker: {Count} coupons past their validity are now EXPIRED", total);
        return total;
    }

    /// <summary>Quartz: 00:10 KST; a run missed while every node was down fires once when one is back.</summary>
    [DisallowConcurrentExecution]
    public sealed class Job(CouponExpiry expiry) : IJob
    {
        public async ValueTask Execute(IJobExecutionContext context, CancellationToken cancellationToken) => await expiry.RunAsync(cancellationToken);
    }

    public sealed class Registration(CouponStatusOptions options) : IJobRegistration
    {
        public void Register(IQuartzBuilder quartz) => quartz.ScheduleJob<Job>(
            trigger => trigger.WithIdentity("coupon-expiry-trigger", "coupons")
                .WithCronSchedule(options.ExpiryCron, c => c.InTimeZone(Kst.Zone).WithMisfireInstruction(CronTriggerMisfireInstruction.FireAndProceed)),
            job => job.WithIdentity("coupon-expiry", "coupons"));
    }
}
