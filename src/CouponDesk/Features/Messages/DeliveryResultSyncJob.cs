using CouponDesk.Hosting;
using CouponDesk.Integrations.Snap;
using Quartz;

namespace CouponDesk.Features.Messages;

/// <summary>Runs <see cref="DeliveryResultSync"/> every <c>Snap:ResultSyncSeconds</c> (spec §5.5: 180 s), once across the cluster.</summary>
[DisallowConcurrentExecution]
public sealed class DeliveryResultSyncJob(DeliveryResultSync sync, ILogger<DeliveryResultSyncJob> logger) : IJob
{
    public static readonly JobKey Key = new("snap-result-sync", "messages");

    public async ValueTask Execute(IJobExecutionContext context, CancellationToken cancellationToken)
    {
        var summary = await sync.RunOnceAsync(cancellationToken);
        if (summary.Final + summary.TakenByAgent > 0)
        {
            logger.LogInformation("Result sync: {Visited} pending visited, {Final} results stored, {Taken} taken by the agent",
                summary.Visited, summary.Final, summary.TakenByAgent);
        }
    }

    /// <summary>Registration: a simple interval; a missed tick is skipped to the next one (the next pass reads everything pending anyway).</summary>
    public sealed class Registration(SnapOptions options) : IJobRegistration
    {
        public void Register(IQuartzBuilder quartz) => quartz.ScheduleJob<DeliveryResultSyncJob>(
            trigger => trigger
                .WithIdentity("snap-result-sync-trigger", "messages")
                .StartNow()
                .WithSimpleSchedule(s => s
                    .WithInterval(TimeSpan.FromSeconds(options.ResultSyncSeconds))
                    .RepeatForever()
                    .WithMisfireInstruction(SimpleTriggerMisfireInstruction.NextWithRemainingCount)),
            job => job.StoreDurably().WithIdentity(Key));
    }
}
