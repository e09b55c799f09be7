using CouponDesk.Hosting;
using CouponDesk.Shared.Time;
using Quartz;

namespace CouponDesk.Features.Auth;

/// <summary>Hourly (spec §5.8): ends and audits sessions that expired without another request, removes old ended rows.</summary>
public sealed class SessionCleanupJob(SessionStore sessions, ILogger<SessionCleanupJob> logger) : IJob
{
    public async ValueTask Execute(IJobExecutionContext context, CancellationToken cancellationToken)
    {
        var (expired, deleted) = await sessions.CleanupAsync(cancellationToken);
        logger.LogInformation("Session cleanup: {Expired} expired, {Deleted} old rows removed", expired, deleted);
    }

    public sealed class Registration : IJobRegistration
    {
        // A missed tick is not worth catching up: the next hour does the same work.
        public void Register(IQuartzBuilder quartz) => quartz.ScheduleJob<SessionCleanupJob>(
            trigger => trigger.WithIdentity("session-cleanup").WithCronSchedule("0 5 * * * ?", c => c.InTimeZone(Kst.Zone).WithMisfireInstruction(CronTriggerMisfireInstruction.DoNothing)),
            job => job.StoreDurably().WithIdentity("session-cleanup"));
    }
}
