using CouponDesk.Hosting;
using CouponDesk.Shared.Time;
using Quartz;

namespace CouponDesk.Features.Pipeline.Scheduling;

/// <summary>Every minute on the jobs role (spec §5.1, §5.8 health checks): <see cref="LateCampaigns.CheckAsync"/>.</summary>
[DisallowConcurrentExecution]
public sealed class LateCampaignsJob(LateCampaigns late) : IJob
{
    public async ValueTask Execute(IJobExecutionContext context, CancellationToken cancellationToken) => await late.CheckAsync(cancellationToken);

    public sealed class Registration : IJobRegistration
    {
        // Missed ticks are not caught up: the next minute finds the same campaigns (each is alerted once anyway).
        public void Register(IQuartzBuilder quartz) => quartz.ScheduleJob<LateCampaignsJob>(
            trigger => trigger.WithIdentity("late-campaigns-check").WithCronSchedule("40 * * * * ?", c => c.InTimeZone(Kst.Zone).WithMisfireInstruction(CronTriggerMisfireInstruction.DoNothing)),
            job => job.StoreDurably().WithIdentity("late-campaigns-check"));
    }
}
