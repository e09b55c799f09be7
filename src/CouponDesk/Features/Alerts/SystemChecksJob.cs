using CouponDesk.Hosting;
using CouponDesk.Shared.Time;
using Quartz;

namespace CouponDesk.Features.Alerts;

/// <summary>Every 60 s on the jobs role (spec §5.8 health checks): processes gone silent or restarted, and disk use.</summary>
[DisallowConcurrentExecution]
public sealed class SystemChecksJob(WorkerHealthCheck workers, StorageSpaceCheck storage) : IJob
{
    public async ValueTask Execute(IJobExecutionContext context, CancellationToken cancellationToken)
    {
        await workers.CheckAsync(cancellationToken);
        await storage.CheckAsync(cancellationToken);
    }

    public sealed class Registration : IJobRegistration
    {
        // Missed ticks are not caught up: the next minute looks again.
        public void Register(IQuartzBuilder quartz) => quartz.ScheduleJob<SystemChecksJob>(
            trigger => trigger.WithIdentity("system-checks").WithCronSchedule("45 * * * * ?", c => c.InTimeZone(Kst.Zone).WithMisfireInstruction(CronTriggerMisfireInstruction.DoNothing)),
            job => job.StoreDurably().WithIdentity("system-checks"));
    }
}
