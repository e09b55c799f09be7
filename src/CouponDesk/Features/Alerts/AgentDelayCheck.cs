using System.Globalization;
using CouponDesk.Data;
using CouponDesk.Integrations.Snap;
using CouponDesk.Shared.Snap;
using Dapper;

namespace CouponDesk.Features.Alerts;

/// <summary>
/// Spec §5.8/§5.9 "agent delay": the oldest <c>UMS_MSG</c> row still <c>ready</c> whose <c>REQ_DATE</c> passed more
/// than <see cref="AlertsOptions.AgentDelayMinutes"/> ago means the SNAP Agent is not picking up (stopped, stuck or too
/// slow). <c>REQ_DATE</c> is the agent's wall clock (KST), compared with ours shifted by the configured agent offset,
/// the same clock the writer uses. Uses the agent's own index (MSG_STATUS, REQ_CH, TRAFFIC_TYPE, REQ_DATE).
/// </summary>
public sealed class AgentDelayCheck(DbConnectionFactory connections, SnapOptions snap, AlertsOptions options, IOperationsAlerts alerts, TimeProvider time)
{
    /// <summary>How late the oldest due ready row is (null when none is later than the limit); raises <c>agent.delay</c> if so.</summary>
    public async Task<TimeSpan?> CheckAsync(CancellationToken ct)
    {
        var agentNow = time.GetUtcNow().UtcDateTime.AddMinutes(snap.AgentUtcOffsetMinutes);
        var limit = agentNow.AddMinutes(-options.AgentDelayMinutes);
        await using var c = await connections.OpenAsync(ct);
        var oldest = await c.QuerySingleAsync<(DateTime? Oldest, int Count)>(new CommandDefinition(
            $"SELECT MIN(REQ_DATE), COUNT(*) FROM {UmsTableDdl.Quote(snap.SendTable)} WHERE MSG_STATUS = 'ready' AND REQ_DATE < @limit",
            new { limit = DateTime.SpecifyKind(limit, DateTimeKind.Unspecified) }, cancellationToken: ct));
        if (oldest.Oldest is not { } due)
        {
            return null;
        }

        var late = agentNow - DateTime.SpecifyKind(due, DateTimeKind.Unspecified);
        await alerts.RaiseAsync(new OperationsAlert(
            "agent.delay",
            string.Create(CultureInfo.InvariantCulture,
                $"SNAP Agent 지연: 발송 시각이 {options.AgentDelayMinutes}분 넘게 지난 대기(ready) 메시지가 {oldest.Count:N0}건 있습니다. 가장 오래된 건은 {(int)late.TotalMinutes}분 지연 (예약 {due:yyyy-MM-dd HH:mm} KST). Agent 상태를 확인해 주세요."),
            AlertSeverity.Critical,
            "agent"), ct);
        return late;
    }
}
