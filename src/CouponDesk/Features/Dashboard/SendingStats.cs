using CouponDesk.Features.Messages;
using Dapper;
using MySqlConnector;

namespace CouponDesk.Features.Dashboard;

/// <summary>
/// 오늘 발송 and 성공률 (spec §3.8) from our own <c>messages</c> table: a message counts on the day of its send time
/// (<c>req_at</c>, the REQ_DATE it was handed to the agent with); withdrawn messages never reached the agent and do not count.
/// 성공 = SUCCESS; 실패 = FAILURE and RESULT_TIMEOUT (shown as "결과 미수신", spec §4.5); 결과 대기 = READY and IN_AGENT.
/// </summary>
public static class SendingStats
{
    private sealed record Counts(long Total, long Succeeded, long Failed, long Pending);

    public static async Task<(TodaySending Today, SuccessRates Rates)> ReadAsync(MySqlConnection c, DashboardPeriod today, DashboardPeriod week, CancellationToken ct)
    {
        var todayCounts = await CountAsync(c, today, ct);
        var weekCounts = await CountAsync(c, week, ct);
        return (new TodaySending((int)todayCounts.Total, (int)todayCounts.Succeeded, (int)todayCounts.Failed, (int)todayCounts.Pending),
            new SuccessRates(Rate(todayCounts), Rate(weekCounts), (int)weekCounts.Succeeded, (int)weekCounts.Failed));
    }

    private static double? Rate(Counts counts) =>
        counts.Succeeded + counts.Failed == 0 ? null : Math.Round(100.0 * counts.Succeeded / (counts.Succeeded + counts.Failed), 1);

    private static Task<Counts> CountAsync(MySqlConnection c, DashboardPeriod period, CancellationToken ct) =>
        c.QuerySingleAsync<Counts>(new CommandDefinition(
            $"""
            SELECT CAST(COUNT(*) AS SIGNED) AS Total,
                   CAST(COALESCE(SUM(status = '{MessageStatus.Success}'), 0) AS SIGNED) AS Succeeded,
                   CAST(COALESCE(SUM(status IN ('{MessageStatus.Failure}', '{MessageStatus.ResultTimeout}')), 0) AS SIGNED) AS Failed,
                   CAST(COALESCE(SUM(status IN ('{MessageStatus.Ready}', '{MessageStatus.InAgent}')), 0) AS SIGNED) AS Pending
            FROM messages
            WHERE req_at >= @From AND req_at < @To AND status <> '{MessageStatus.Withdrawn}'
            """, new { period.From, period.To }, cancellationToken: ct));
}
