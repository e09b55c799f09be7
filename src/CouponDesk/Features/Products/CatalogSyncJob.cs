using CouponDesk.Hosting;
using CouponDesk.Shared.Time;
using Quartz;

namespace CouponDesk.Features.Products;

/// <summary>
/// The daily catalog sync (spec §5.7): 04:00 KST, with retries at 04:30 and 05:00 that do nothing once today's run
/// succeeded or COUFUN answered 09. Clustered store: one run across all processes.
/// </summary>
[DisallowConcurrentExecution]
public sealed class CatalogSyncJob(CatalogSync sync) : IJob
{
    public async ValueTask Execute(IJobExecutionContext context, CancellationToken cancellationToken) =>
        await sync.RunScheduledAsync(cancellationToken);
}

/// <summary>
/// Misfire rule: fire once now and proceed. A node that was down at 04:00 syncs when it comes back (once, not once
/// per missed tick), and <see cref="CatalogSync.RunScheduledAsync"/> skips it if another node already succeeded.
/// </summary>
public sealed class CatalogSyncJobRegistration : IJobRegistration
{
    public static readonly JobKey Key = new("catalog-sync", "products");

    public void Register(IQuartzBuilder quartz)
    {
        quartz.AddJob<CatalogSyncJob>(j => j.WithIdentity(Key).StoreDurably().WithDescription("COUFUN product list sync"));
        foreach (var (name, cron) in new[] { ("catalog-sync-0400", "0 0 4 * * ?"), ("catalog-sync-0430", "0 30 4 * * ?"), ("catalog-sync-0500", "0 0 5 * * ?") })
        {
            quartz.AddTrigger(t => t
                .ForJob(Key)
                .WithIdentity(name, "products")
                .WithCronSchedule(cron, c => c.InTimeZone(Kst.Zone).WithMisfireInstruction(CronTriggerMisfireInstruction.FireAndProceed)));
        }
    }
}
