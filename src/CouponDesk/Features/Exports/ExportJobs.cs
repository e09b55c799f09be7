using CouponDesk.Hosting;
using CouponDesk.Shared.Time;
using Quartz;

namespace CouponDesk.Features.Exports;

/// <summary>Generates requested exports every <c>Exports:GenerationIntervalSeconds</c>, once across the cluster.</summary>
[DisallowConcurrentExecution]
public sealed class ExportGenerationJob(ExportGenerator generator, ILogger<ExportGenerationJob> logger) : IJob
{
    public async ValueTask Execute(IJobExecutionContext context, CancellationToken cancellationToken)
    {
        var done = await generator.RunPendingAsync(cancellationToken);
        if (done > 0)
        {
            logger.LogInformation("Exports generated: {Count}", done);
        }
    }

    public sealed class Registration(ExportOptions options) : IJobRegistration
    {
        public void Register(IQuartzBuilder quartz) => quartz.ScheduleJob<ExportGenerationJob>(
            trigger => trigger
                .WithIdentity("export-generation")
                .StartNow()
                .WithSimpleSchedule(s => s
                    .WithInterval(TimeSpan.FromSeconds(options.GenerationIntervalSeconds))
                    .RepeatForever()
                    .WithMisfireInstruction(SimpleTriggerMisfireInstruction.NextWithRemainingCount)),
            job => job.StoreDurably().WithIdentity("export-generation"));
    }
}

/// <summary>Hourly (spec §3.3.4): deletes the files of exports past their 24-hour window; the records stay, EXPIRED.</summary>
[DisallowConcurrentExecution]
public sealed class ExportCleanupJob(ExportCleanup cleanup, ILogger<ExportCleanupJob> logger) : IJob
{
    public async ValueTask Execute(IJobExecutionContext context, CancellationToken cancellationToken)
    {
        var expired = await cleanup.RunAsync(cancellationToken);
        if (expired > 0)
        {
            logger.LogInformation("Exports expired: {Count} files deleted", expired);
        }
    }

    public sealed class Registration : IJobRegistration
    {
        public void Register(IQuartzBuilder quartz) => quartz.ScheduleJob<ExportCleanupJob>(
            trigger => trigger.WithIdentity("export-cleanup").WithCronSchedule("0 15 * * * ?", c => c.InTimeZone(Kst.Zone).WithMisfireInstruction(CronTriggerMisfireInstruction.FireAndProceed)),
            job => job.StoreDurably().WithIdentity("export-cleanup"));
    }
}

/// <summary>The cleanup's work, callable from tests with a moved clock.</summary>
public sealed class ExportCleanup(ExportStore store, ExportGenerator generator)
{
    public async Task<int> RunAsync(CancellationToken ct)
    {
        var count = 0;
        while (!ct.IsCancellationRequested)
        {
            var due = await store.DueForExpiryAsync(200, ct);
            foreach (var (id, path) in due)
            {
                generator.DeleteFile(path);
                await store.MarkExpiredAsync(id, ct);
                count++;
            }

            if (due.Count < 200)
            {
                break;
            }
        }

        return count;
    }
}
