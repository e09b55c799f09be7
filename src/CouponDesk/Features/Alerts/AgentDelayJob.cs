using CouponDesk.Hosting;
using CouponDesk.Shared.Time;
using Quartz;

namespace CouponDesk.Features.Alerts;

/// <summary>Every 60 s on the jobs role (spec §5.8 health checks): the agent-delay check. The alert is throttled per window.</summary>
[DisallowConcurrentExecution]
public sealed class AgentDelayJob(AgentDelayCheck check) : IJob
{
    public async ValueTask Execute(IJobExecutionContext context, CancellationToken cancellationToken) => await check.CheckAsync(cancellationToken);

    public sealed class Registration : IJobRegistration
    {
        // Missed ticks are not caught up: the next minute checks the same table.
        public void Register(IQuartzBuilder quartz) => quartz.ScheduleJob<AgentDelayJob>(
            trigger => trigger.WithIdentity("agent-delay-check").WithCronSchedule("30 * * * * ?", c => c.InTimeZone(Kst.Zone).WithMisfireInstruction(CronTriggerMisfireInstruction.DoNothing)),
            job => job.StoreDurably().WithIdentity("agent-delay-check"));
    }
}
