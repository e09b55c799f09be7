using CouponDesk.Data;
using Dapper;
using MySqlConnector;
using Quartz;

namespace CouponDesk.Hosting;

/// <summary>
/// Wraps every Quartz job execution of this process:
/// <list type="bullet">
/// <item>a job that loses a deadlock or a cluster certification conflict (1213) is executed again inside the same
/// firing, whole and counted (<see cref="DeadlockRetry"/>); every job is a pass that may be run again;</item>
/// <item>each firing leaves one row in <c>job_runs</c> (job, the scheduled fire time, which process ran it, how it
/// ended) — the cluster's job history, and the witness that clustered jobs run once per firing.</item>
/// </list>
/// Rows older than <see cref="KeepDays"/> are removed as new ones are written.
/// </summary>
public sealed class JobRunsMiddleware(DbConnectionFactory connections, TimeProvider time, ILogger<JobRunsMiddleware> logger) : IJobExecutionMiddleware
{
    public const int KeepDays = 30;

    public async ValueTask Invoke(IJobExecutionContext context, JobExecutionDelegate next, CancellationToken cancellationToken)
    {
        var started = time.GetUtcNow().UtcDateTime;
        var attempts = 0;
        string? error = null;
        try
        {
            await DeadlockRetry.RunAsync(async () =>
            {
                attempts++;
                await next(context, cancellationToken);
            }, logger, $"job {context.JobDetail.Key}");
        }
        catch (Exception ex)
        {
            error = ex.GetType().Name;
            throw;
        }
        finally
        {
            await RecordAsync(context, started, attempts, error);
        }
    }

    private async Task RecordAsync(IJobExecutionContext context, DateTime started, int attempts, string? error)
    {
        var job = context.JobDetail.Key.ToString();
        try
        {
            await using var c = await connections.OpenAsync(CancellationToken.None);
            await c.ExecuteAsync(
                """
                INSERT INTO job_runs (job_key, trigger_key, scheduled_at, started_at, finished_at, instance_id, attempts, succeeded, error)
                VALUES (@job, @trigger, @scheduled, @started, @finished, @instance, @attempts, @succeeded, @error)
                """,
                new
                {
                    job,
                    trigger = context.Trigger.Key.ToString(),
                    scheduled = context.ScheduledFireTimeUtc?.UtcDateTime,
                    started,
                    finished = time.GetUtcNow().UtcDateTime,
                    instance = context.Scheduler.SchedulerInstanceId,
                    attempts,
                    succeeded = error is null,
                    error,
                });
            await c.ExecuteAsync(
                "DELETE FROM job_runs WHERE job_key = @job AND started_at < @cutoff LIMIT 100", new { job, cutoff = started.AddDays(-KeepDays) });
        }
        catch (MySqlException ex)
        {
            // History is best effort: a database node that went away must not turn a finished job into a failed one.
            logger.LogWarning(ex, "The run of job {Job} could not be recorded", job);
        }
    }
}
