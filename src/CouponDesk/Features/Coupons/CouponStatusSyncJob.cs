using CouponDesk.Hosting;
using Quartz;

namespace CouponDesk.Features.Coupons;

/// <summary>Runs <see cref="CouponStatusSync"/> every <c>CouponStatus:SyncIntervalSeconds</c> (spec §5.6: 300 s), once across the cluster.</summary>
[DisallowConcurrentExecution]
public sealed class CouponStatusSyncJob(CouponStatusSync sync) : IJob
{
    public static readonly JobKey Key = new("coupon-status-sync", "coupons");

    public async ValueTask Execute(IJobExecutionContext context, CancellationToken cancellationToken) => await sync.RunOnceAsync(cancellationToken);

    /// <summary>A simple interval; a missed tick is skipped to the next one (each run picks the most needed coupons anyway).</summary>
    public sealed class Registration(CouponStatusOptions options) : IJobRegistration
    {
        public void Register(IQuartzBuilder quartz) => quartz.ScheduleJob<CouponStatusSyncJob>(
            trigger => trigger
                .WithIdentity("coupon-status-sync-trigger", "coupons")
                // First run one interval after start: a process starting must not add a burst of COUFUN reads.
                .StartAt(DateTimeOffset.UtcNow.AddSeconds(options.SyncIntervalSeconds))
                .WithSimpleSchedule(s => s
                    .WithInterval(TimeSpan.FromSeconds(options.SyncIntervalSeconds))
                    .RepeatForever()
                    .WithMisfireInstruction(SimpleTriggerMisfireInstruction.NextWithRemainingCount)),
            job => job.WithIdentity(Key));
    }
}
