using CouponDesk.Data;
using CouponDesk.Features.Campaigns;
using CouponDesk.Shared.Text;
using Dapper;
using MySqlConnector;

namespace CouponDesk.Features.Pipeline.Failures;

/// <summary>
/// Spec §5.2 failure threshold: persisting create failures (e.g. 50/99 on every call) stop the campaign instead of
/// burning the list — N failed calls in a row, or more than P % of the last W calls (D-PIPE-7). Calls are logged insert-only
/// in the order's outcome transaction; the rules are counted after that commit, only when the call failed (a success
/// can push no rule over its limit), with a fresh view that sees every committed call (D-PIPE-21).
/// </summary>
public sealed class IssuanceFailureRules(DbConnectionFactory connections, CampaignTransitions transitions, PipelineOptions options)
{
    public sealed record Counts(long Streak, long WindowFailed);

    /// <summary>Logs one counted create call in the caller's transaction; <paramref name="lost"/>: its answer was lost (D-PIPE-30).</summary>
    public static Task RecordAsync(MySqlConnection c, MySqlTransaction tx, long campaignId, long orderId, bool failed, DateTime now, bool lost = false) =>
        c.ExecuteAsync(new CommandDefinition(
            "INSERT INTO issuance_calls (campaign_id, order_id, failed, lost, called_at) VALUES (@campaignId, @orderId, @failed, @lost, @now)",
            new { campaignId, orderId, failed, lost, now }, tx));

    /// <summary>After a person resumes or retries: only calls from now on count (the caller's transaction).</summary>
    public static Task ResetAsync(MySqlConnection c, MySqlTransaction tx, long campaignId, CancellationToken ct) =>
        c.ExecuteAsync(new CommandDefinition(
            "UPDATE campaign_runs SET calls_counted_after = (SELECT COALESCE(MAX(id), 0) FROM issuance_calls WHERE campaign_id = @campaignId) WHERE campaign_id = @campaignId",
            new { campaignId }, tx, cancellationToken: ct));

    /// <summary>
    /// The failed calls since the last success (the streak) and among the last W calls (the window), counting only calls
    /// after the last reset. Calls not made yet count as successes, so a young campaign needs more than P % of W failures.
    /// </summary>
    public async Task<Counts> CountAsync(MySqlConnection c, long campaignId, CancellationToken ct, MySqlTransaction? tx = null)
    {
        var after = await c.ExecuteScalarAsync<long?>(new CommandDefinition(
            "SELECT calls_counted_after FROM campaign_runs WHERE campaign_id = @campaignId", new { campaignId }, tx, cancellationToken: ct)) ?? 0;
        return await c.QuerySingleAsync<Counts>(new CommandDefinition(
            """
            SELECT
              CAST((SELECT COUNT(*) FROM issuance_calls WHERE campaign_id = @campaignId AND id > GREATEST(@after,
                 COALESCE((SELECT MAX(id) FROM issuance_calls WHERE campaign_id = @campaignId AND failed = 0), 0))) AS SIGNED) AS Streak,
              CAST((SELECT COALESCE(SUM(w.failed), 0) FROM (SELECT failed FROM issuance_calls WHERE campaign_id = @campaignId AND id > @after
                 ORDER BY id DESC LIMIT @window) w) AS SIGNED) AS WindowFailed
            """, new { campaignId, after, window = options.FailureWindowCalls }, tx, cancellationToken: ct));
    }

    /// <summary>Call after a failed call's outcome committed: stops a running campaign whose calls break a rule.</summary>
    public async Task CheckAsync(long campaignId, string? lastFailure, CancellationToken ct)
    {
        await using var c = await connections.OpenAsync(ct);
        var counts = await CountAsync(c, campaignId, ct);
        var windowLimit = options.FailureWindowCalls * options.FailureWindowPercent / 100;
        var streakBroken = counts.Streak >= options.FailureStreakLimit;
        if (!streakBroken && counts.WindowFailed <= windowLimit)
        {
            return;
        }

        await using var tx = await c.BeginTransactionAsync(ct);
        var status = await c.ExecuteScalarAsync<string?>(new CommandDefinition("SELECT status FROM campaigns WHERE id = @campaignId FOR UPDATE", new { campaignId }, tx, cancellationToken: ct));
        if (status is not (CampaignStatus.Issuing or CampaignStatus.Sending))
        {
            return; // already stopped (by another loop's check, a person, or a cancel)
        }

        // Count again under the campaign's lock: a person may have resumed between the first count and the lock, and
        // the resume restarts the counting (its reset commits with the status change). The first count alone stopped a
        // just-resumed campaign on the calls before the resume (found by the fault suite, issue 22).
        counts = await CountAsync(c, campaignId, ct, tx);
        streakBroken = counts.Streak >= options.FailureStreakLimit;
        if (!streakBroken && counts.WindowFailed <= windowLimit)
        {
            return;
        }

        var why = streakBroken
            ? $"COUFUN 발급 호출이 연속 {counts.Streak}회 실패하여 자동으로 중지했습니다."
            : $"최근 COUFUN 발급 호출 {options.FailureWindowCalls}회 중 {counts.WindowFailed}회가 실패하여(허용 {options.FailureWindowPercent}%) 자동으로 중지했습니다.";
        var reason = $"{why} 마지막 오류: {lastFailure}";
        await transitions.StopAsync(c, tx, campaignId, "FAILURE_THRESHOLD", reason.Truncate(300), ct);
        await tx.CommitAsync(ct);
    }
}
