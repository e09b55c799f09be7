using CouponDesk.Data;
using CouponDesk.Shared.Time;
using Dapper;

namespace CouponDesk.Features.Alerts;

/// <summary>
/// Spec §5.9 "worker down / restarted", told by a process that is still alive (the one running the jobs role):
/// <list type="bullet">
/// <item><c>worker.down</c>: a process's heartbeat has been missing for <see cref="AlertsOptions.WorkerSilentMinutes"/>
/// and it did not stop cleanly (a clean stop marks its row <c>stopped</c>);</item>
/// <item><c>worker.restarted</c>: a process started under the instance name of one that had not stopped cleanly (its
/// successor fenced it) — the restart after a crash that systemd or a person made.</item>
/// </list>
/// Each row is alerted once (<c>health_alerted_at</c>, claimed by an UPDATE, so two checkers never both send), and
/// only rows that beat within the last day: a first deployment does not alert about last month's test processes.
/// </summary>
public sealed class WorkerHealthCheck(DbConnectionFactory connections, AlertsOptions options, IOperationsAlerts alerts, TimeProvider time)
{
    private sealed record Row(string InstanceId, string? InstanceName, string? HostName, string Roles, DateTime BeatAt, string? FenceReason);

    /// <summary>Sends the alerts due now; returns how many were sent.</summary>
    public async Task<int> CheckAsync(CancellationToken ct)
    {
        var now = time.GetUtcNow().UtcDateTime;
        await using var c = await connections.OpenAsync(ct);
        var rows = await c.QueryAsync<Row>(new CommandDefinition(
            """
            SELECT instance_id AS InstanceId, instance_name AS InstanceName, host_name AS HostName, roles AS Roles, beat_at AS BeatAt, fence_reason AS FenceReason
            FROM worker_heartbeats
            WHERE health_alerted_at IS NULL AND beat_at >= @dayAgo
              AND (fence_reason = 'successor' OR (COALESCE(fence_reason, 'silent') = 'silent' AND beat_at < @silentSince))
            ORDER BY beat_at LIMIT 100
            """,
            new { dayAgo = now.AddDays(-1), silentSince = now.AddMinutes(-options.WorkerSilentMinutes) }, cancellationToken: ct));
        var sent = 0;
        foreach (var row in rows)
        {
            var claimed = await c.ExecuteAsync(new CommandDefinition(
                "UPDATE worker_heartbeats SET health_alerted_at = @now WHERE instance_id = @id AND health_alerted_at IS NULL",
                new { now, id = row.InstanceId }, cancellationToken: ct));
            if (claimed == 0)
            {
                continue; // another checker sent it
            }

            await alerts.RaiseAsync(AlertFor(row), ct);
            sent++;
        }

        return sent;
    }

    private OperationsAlert AlertFor(Row row)
    {
        var who = $"{row.InstanceName ?? row.InstanceId} ({row.HostName ?? "-"}, 역할 {row.Roles})";
        var lastBeat = Kst.FormatMinute(DateTime.SpecifyKind(row.BeatAt, DateTimeKind.Utc));
        return row.FenceReason == "successor"
            ? new OperationsAlert(
                "worker.restarted",
                $"프로세스 {who}가 정상 종료 없이 다시 시작되었습니다 (이전 프로세스의 마지막 신호 {lastBeat} KST). 이전 프로세스가 잡고 있던 작업은 자동으로 이어받았습니다. 반복되면 서버 로그를 확인해 주세요.",
                AlertSeverity.Warning,
                $"worker:{row.InstanceName ?? row.InstanceId}")
            : new OperationsAlert(
                "worker.down",
                $"프로세스 {who}의 신호가 {options.WorkerSilentMinutes}분 넘게 없습니다 (마지막 신호 {lastBeat} KST). 서비스 상태(systemctl status)를 확인해 주세요. 이 프로세스의 작업은 다른 프로세스가 이어받습니다.",
                AlertSeverity.Critical,
                $"worker:{row.InstanceName ?? row.InstanceId}");
    }
}
