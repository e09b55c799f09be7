using CouponDesk.Data;
using CouponDesk.Hosting;
using CouponDesk.Shared.Text;
using Dapper;

namespace CouponDesk.Features.Dashboard;

/// <summary>
/// Writes this process's heartbeat row every 15 s (every role, so the dashboard also sees web-only and jobs-only
/// processes). Rows silent for a day are removed by whichever process beats, so restarts do not pile up.
/// A failed beat is logged and retried at the next tick: the dashboard shows the silence, which is the point.
/// </summary>
public sealed class WorkerHeartbeat(DbConnectionFactory connections, AppRoles roles, TimeProvider time, ILogger<WorkerHeartbeat> logger) : BackgroundService
{
    public static readonly TimeSpan Interval = TimeSpan.FromSeconds(15);

    private readonly string instanceId = Guid.NewGuid().ToString("N");

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var started = time.GetUtcNow().UtcDateTime;
        using var timer = new PeriodicTimer(Interval, time);
        do
        {
            try
            {
                await BeatAsync(started, stoppingToken);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                logger.LogWarning(ex, "Heartbeat not written");
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }

    private async Task BeatAsync(DateTime started, CancellationToken ct)
    {
        var now = time.GetUtcNow().UtcDateTime;
        await using var c = await connections.OpenAsync(ct);
        await c.ExecuteAsync(new CommandDefinition(
            """
            INSERT INTO worker_heartbeats (instance_id, host_name, process_id, roles, started_at, beat_at)
            VALUES (@instanceId, @host, @pid, @roles, @started, @now)
            ON DUPLICATE KEY UPDATE beat_at = VALUES(beat_at)
            """,
            new { instanceId, host = Truncation.Truncate(Environment.MachineName, 100), pid = Environment.ProcessId, roles = roles.ToString(), started, now },
            cancellationToken: ct));
        await c.ExecuteAsync(new CommandDefinition("DELETE FROM worker_heartbeats WHERE beat_at < @cutoff", new { cutoff = now.AddDays(-1) }, cancellationToken: ct));
    }
}
