using CouponDesk.Hosting;
using CouponDesk.Shared.Time;
using Quartz;

namespace CouponDesk.Features.Approvals;

/// <summary>Every 5 minutes, once across the cluster (spec §5.8 "Approval expiry"): <see cref="ApprovalRequests.ExpireDueAsync"/>.</summary>
[DisallowConcurrentExecution]
public sealed class ApprovalExpiryJob(ApprovalRequests requests, ILogger<ApprovalExpiryJob> logger) : IJob
{
    public async ValueTask Execute(IJobExecutionContext context, CancellationToken cancellationToken)
    {
        var expired = await requests.ExpireDueAsync(cancellationToken);
        if (expired > 0)
        {
            logger.LogInformation("Approval requests expired: {Count}", expired);
        }
    }

    public sealed class Registration : IJobRegistration
    {
        // Missed ticks are not caught up: the next run expires everything due by then.
        public void Register(IQuartzBuilder quartz) => quartz.ScheduleJob<ApprovalExpiryJob>(
            trigger => trigger.WithIdentity("approval-expiry").WithCronSchedule("20 0/5 * * * ?", c => c.InTimeZone(Kst.Zone).WithMisfireInstruction(CronTriggerMisfireInstruction.DoNothing)),
            job => job.StoreDurably().WithIdentity("approval-expiry"));
    }
}
