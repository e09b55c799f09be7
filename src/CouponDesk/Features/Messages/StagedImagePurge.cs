using CouponDesk.Data;
using CouponDesk.Hosting;
using CouponDesk.Integrations.Snap;
using CouponDesk.Shared.Time;
using Dapper;
using Quartz;

namespace CouponDesk.Features.Messages;

/// <summary>
/// Deletes staged MMS images once they can no longer be read by the agent: <c>Snap:ImageRetentionDays</c> after their
/// message's result was stored, or after it was withdrawn (spec §5.8 "rendered image purge", daily 02:30 KST). Images of
/// pending messages are never touched: the agent reads them until the row is complete.
/// </summary>
public sealed class StagedImagePurge(DbConnectionFactory connections, SnapImageStager stager, SnapOptions options, TimeProvider time)
{
    public async Task<int> RunOnceAsync(CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow().UtcDateTime;
        var before = now.AddDays(-options.ImageRetentionDays);
        await using var connection = await connections.OpenAsync(cancellationToken);
        var deleted = 0;
        while (true)
        {
            var rows = (await connection.QueryAsync<(long Id, string Files)>(new CommandDefinition(
                $"""
                SELECT id, image_files FROM messages
                WHERE images_purged_at IS NULL AND image_files IS NOT NULL
                  AND ((result_at IS NOT NULL AND result_at <= @before) OR (status = '{MessageStatus.Withdrawn}' AND updated_at <= @before))
                ORDER BY id LIMIT 1000
                """,
                new { before }, cancellationToken: cancellationToken))).ToArray();
            if (rows.Length == 0)
            {
                return deleted;
            }

            deleted += stager.Delete(rows.SelectMany(r => r.Files.Split(',', StringSplitOptions.RemoveEmptyEntries)));
            var ids = rows.Select(r => r.Id).ToArray();
            await connection.ExecuteAsync(new CommandDefinition(
                "UPDATE messages SET images_purged_at = @now WHERE id IN @ids", new { ids, now }, cancellationToken: cancellationToken));
        }
    }

    [DisallowConcurrentExecution]
    public sealed class Job(StagedImagePurge purge) : IJob
    {
        public async ValueTask Execute(IJobExecutionContext context, CancellationToken cancellationToken) =>
            await purge.RunOnceAsync(cancellationToken);
    }

    /// <summary>Daily at 02:30 KST; a missed run is done once at the next opportunity.</summary>
    public sealed class Registration : IJobRegistration
    {
        public void Register(IQuartzBuilder quartz) => quartz.ScheduleJob<Job>(
            trigger => trigger
                .WithIdentity("snap-image-purge-trigger", "messages")
                .WithCronSchedule("0 30 2 * * ?", c => c.InTimeZone(Kst.Zone).WithMisfireInstruction(CronTriggerMisfireInstruction.FireAndProceed)),
            job => job.StoreDurably().WithIdentity("snap-image-purge", "messages"));
    }
}
