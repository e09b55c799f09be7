using System.Globalization;
using CouponDesk.Data;
using CouponDesk.Hosting;
using CouponDesk.Shared.Time;
using Dapper;
using Quartz;

namespace CouponDesk.Features.Audit;

/// <summary>
/// Deletes audit rows older than the retention period (spec §7.5: 5 years) from the start of the chain. The last
/// removed row becomes the chain's anchor first, so a purge killed halfway leaves a chain that still verifies.
/// </summary>
public sealed class AuditRetention(DbConnectionFactory connections, AuditTrail audit, AuditOptions options, TimeProvider time)
{
    private const int BatchSize = 10_000;

    public async Task<long> PurgeAsync(CancellationToken cancellationToken = default)
    {
        var cutoff = time.GetUtcNow().UtcDateTime.AddYears(-options.RetentionYears);
        await using var connection = await connections.OpenAsync(cancellationToken);
        long anchorId;
        await using (var transaction = await connection.BeginTransactionAsync(cancellationToken))
        {
            var head = await connection.QuerySingleAsync<(long LastId, long AnchorId)>(
                "SELECT last_id, anchor_id FROM audit_chain_head WHERE id = 1 FOR UPDATE", transaction: transaction);
            var last = await connection.QueryFirstOrDefaultAsync<(long Id, byte[] Hash)?>(
                "SELECT id, row_hash FROM audit_log WHERE occurred_at < @cutoff AND id > @anchor ORDER BY occurred_at DESC, id DESC LIMIT 1",
                new { cutoff, anchor = head.AnchorId }, transaction);
            anchorId = head.AnchorId;
            if (last is { } row && row.Id > head.AnchorId)
            {
                // Never anchor on the newest row: the chain head must stay a row that exists.
                anchorId = Math.Min(row.Id, head.LastId - 1);
                var anchorHash = await connection.ExecuteScalarAsync<byte[]>("SELECT row_hash FROM audit_log WHERE id = @anchorId", new { anchorId }, transaction);
                if (anchorHash is not null && anchorId > head.AnchorId)
                {
                    await connection.ExecuteAsync("UPDATE audit_chain_head SET anchor_id = @anchorId, anchor_hash = @anchorHash WHERE id = 1", new { anchorId, anchorHash }, transaction);
                }
                else
                {
                    anchorId = head.AnchorId;
                }
            }

            await transaction.CommitAsync(cancellationToken);
        }

        long deleted = 0;
        while (true)
        {
            var count = await connection.ExecuteAsync(
                $"DELETE FROM audit_log WHERE id <= @anchorId ORDER BY id LIMIT {BatchSize}", new { anchorId });
            deleted += count;
            if (count < BatchSize)
            {
                break;
            }
        }

        await audit.WriteAsync(
            new AuditEntry
            {
                Action = AuditActions.AuditPurged,
                ActorLogin = AuditEntry.SystemActor,
                TargetType = "audit_log",
                Details = new Dictionary<string, string?>
                {
                    ["deleted"] = deleted.ToString(CultureInfo.InvariantCulture),
                    ["olderThan"] = cutoff.ToString("O", CultureInfo.InvariantCulture),
                    ["anchorId"] = anchorId.ToString(CultureInfo.InvariantCulture),
                },
            },
            cancellationToken);
        return deleted;
    }

    /// <summary>Monthly on the 1st at 03:30 KST; a missed run (all nodes down) runs once when a node is back.</summary>
    public sealed class Job(AuditRetention retention, ILogger<Job> logger) : IJob
    {
        public async ValueTask Execute(IJobExecutionContext context, CancellationToken cancellationToken)
        {
            var deleted = await retention.PurgeAsync(cancellationToken);
            logger.LogInformation("Audit retention removed {Count} rows", deleted);
        }
    }

    public sealed class Registration : IJobRegistration
    {
        public void Register(IQuartzBuilder quartz) => quartz.ScheduleJob<Job>(
            trigger => trigger.WithIdentity("audit-retention").WithCronSchedule("0 30 3 1 * ?", c => c.InTimeZone(Kst.Zone).WithMisfireInstruction(CronTriggerMisfireInstruction.FireAndProceed)),
            job => job.StoreDurably().WithIdentity("audit-retention"));
    }
}
