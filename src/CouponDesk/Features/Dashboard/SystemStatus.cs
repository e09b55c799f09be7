using CouponDesk.Features.Pipeline;
using CouponDesk.Hosting.Liveness;
using CouponDesk.Integrations.Snap;
using CouponDesk.Shared.Snap;
using Dapper;
using MySqlConnector;

namespace CouponDesk.Features.Dashboard;

/// <summary>
/// 시스템 상태 (spec §3.8) from what the system already records: COUFUN's last good and bad answers (issuance orders and
/// catalog sync runs), the agent's backlog in <c>UMS_MSG</c>, the last catalog sync, the last result-sync tick (Quartz) and
/// the newest stored result, and the processes' heartbeats.
/// </summary>
public sealed class SystemStatus(SnapOptions snap, LivenessOptions liveness, TimeProvider time)
{
    /// <summary>A due <c>ready</c> row older than this means the agent is not taking work ("에이전트 지연").</summary>
    public static readonly TimeSpan AgentDelayThreshold = TimeSpan.FromMinutes(5);

    /// <summary>Silent this long, or fenced by its peers: the process is gone (or stuck) — the liveness rule (D-OPS-11).</summary>
    private TimeSpan HeartbeatGrace => TimeSpan.FromSeconds(liveness.DeadAfterSeconds);

    public async Task<SystemState> ReadAsync(MySqlConnection c, CancellationToken ct)
    {
        var now = time.GetUtcNow().UtcDateTime;
        var lastSuccess = await LatestAsync(c,
            $"SELECT MAX(finished_at) FROM issuance_orders WHERE status = '{OrderStatus.Succeeded}'",
            "SELECT MAX(finished_at) FROM catalog_sync_runs WHERE outcome = 'SUCCEEDED' AND called_coufun = 1", ct);
        var lastError = await LatestAsync(c,
            $"SELECT MAX(updated_at) FROM issuance_orders WHERE status IN ('{OrderStatus.Failed}', '{OrderStatus.InDoubt}', '{OrderStatus.RetryWait}')",
            "SELECT MAX(finished_at) FROM catalog_sync_runs WHERE outcome = 'FAILED' AND called_coufun = 1", ct);
        var catalog = await c.QuerySingleOrDefaultAsync<CatalogSyncState>(new CommandDefinition(
            "SELECT started_at AS StartedAt, finished_at AS FinishedAt, outcome AS Outcome FROM catalog_sync_runs ORDER BY id DESC LIMIT 1", cancellationToken: ct));
        var resultJobTicks = await c.ExecuteScalarAsync<long?>(new CommandDefinition(
            "SELECT MAX(PREV_FIRE_TIME) FROM QRTZ_TRIGGERS WHERE JOB_NAME = 'snap-result-sync' AND PREV_FIRE_TIME > 0", cancellationToken: ct));
        var couponJobTicks = await c.ExecuteScalarAsync<long?>(new CommandDefinition(
            "SELECT MAX(PREV_FIRE_TIME) FROM QRTZ_TRIGGERS WHERE JOB_NAME = 'coupon-status-sync' AND PREV_FIRE_TIME > 0", cancellationToken: ct));
        var lastResult = await c.ExecuteScalarAsync<DateTime?>(new CommandDefinition(
            "SELECT MAX(result_at) FROM messages", cancellationToken: ct));
        var workers = (await c.QueryAsync<(string HostName, int ProcessId, string Roles, DateTime StartedAt, DateTime BeatAt, bool Fenced)>(new CommandDefinition(
            "SELECT host_name, process_id, roles, started_at, beat_at, fenced_at IS NOT NULL FROM worker_heartbeats ORDER BY beat_at DESC LIMIT 20", cancellationToken: ct)))
            .Select(w => new WorkerState(w.HostName, w.ProcessId, w.Roles, w.StartedAt, w.BeatAt, !w.Fenced && now - w.BeatAt <= HeartbeatGrace))
            .ToList();
        return new SystemState(
            new CoufunState(lastSuccess, lastError),
            await AgentAsync(c, ct),
            catalog,
            FromQuartzTime(resultJobTicks),
            lastResult,
            workers)
        { LastCouponStatusSyncAt = FromQuartzTime(couponJobTicks) };
    }

    /// <summary>
    /// Quartz's ADO store keeps fire times as .NET ticks of the UTC instant (<c>DateTimeOffset.UtcTicks</c>), not Unix
    /// milliseconds; a value outside DateTime's range is not a fire time and reads as none.
    /// </summary>
    public static DateTime? FromQuartzTime(long? ticks) =>
        ticks is { } t && t > 0 && t <= DateTime.MaxValue.Ticks ? new DateTime(t, DateTimeKind.Utc) : null;

    /// <summary>
    /// Compared in the database with its own <c>NOW()</c>: REQ_DATE is KST wall-clock written for the agent, which reads it
    /// against the same clock (design "Time").
    /// </summary>
    private async Task<AgentState> AgentAsync(MySqlConnection c, CancellationToken ct)
    {
        var (due, oldest) = await c.QuerySingleAsync<(long Due, long? Oldest)>(new CommandDefinition(
            $"""
            SELECT CAST(COUNT(*) AS SIGNED), CAST(TIMESTAMPDIFF(SECOND, MIN(REQ_DATE), NOW()) AS SIGNED)
            FROM {UmsTableDdl.Quote(snap.SendTable)} WHERE MSG_STATUS = 'ready' AND REQ_DATE < NOW()
            """, cancellationToken: ct));
        var delayed = oldest is { } s && s > AgentDelayThreshold.TotalSeconds;
        return new AgentState((int)due, (int?)oldest, delayed, delayed ? "에이전트 지연" : "정상");
    }

    private static async Task<DateTime?> LatestAsync(MySqlConnection c, string first, string second, CancellationToken ct)
    {
        var a = await c.ExecuteScalarAsync<DateTime?>(new CommandDefinition(first, cancellationToken: ct));
        var b = await c.ExecuteScalarAsync<DateTime?>(new CommandDefinition(second, cancellationToken: ct));
        return a is null ? b : b is null ? a : a > b ? a : b;
    }
}
