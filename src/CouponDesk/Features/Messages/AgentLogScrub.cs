using System.Globalization;
using CouponDesk.Data;
using CouponDesk.Features.Privacy;
using CouponDesk.Integrations.Snap;
using CouponDesk.Shared.Snap;
using CouponDesk.Shared.Time;
using Dapper;

namespace CouponDesk.Features.Messages;

/// <summary>
/// Clears <c>PHONE</c> and <c>MSG</c> of the agent's month-log rows older than 90 days (spec §5.8 "agent log scrub",
/// monthly; §7.5). The agent only ever writes a month-log row when it moves a finished message, and our result sync
/// reads a row within days, so a 90-day-old row is read by no one; this is the one UPDATE we make on an agent table
/// (decision D-SEC-11). <c>REQ_DATE</c> is KST. Rows of messages of a campaign on 보존 연장 are skipped. Counts rows.
/// </summary>
public sealed class AgentLogScrub(DbConnectionFactory connections, SnapOptions options) : IPiiPurgeStep
{
    public string Name => "agent_log.phone_msg";

    public PurgeSchedule Schedule => PurgeSchedule.Monthly;

    public async Task PurgeAsync(PiiPurgeContext context, CancellationToken cancellationToken)
    {
        var cutoffKst = Kst.ToKst(context.NowUtc.AddDays(-context.Options.AgentLogRetentionDays));
        await using var c = await connections.OpenAsync(cancellationToken);
        var tables = (await c.QueryAsync<string>(new CommandDefinition(
            "SELECT table_name FROM information_schema.tables WHERE table_schema = DATABASE() AND table_name LIKE CONCAT(@prefix, '%')",
            new { prefix = options.LogTablePrefix.Replace("_", "\\_", StringComparison.Ordinal) }, cancellationToken: cancellationToken))).ToList();
        foreach (var table in tables.Where(t => IsMonthTable(t) && UmsTableDdl.IsPlainIdentifier(t)).Order(StringComparer.Ordinal))
        {
            // The agent's table has its own collation: the key is converted to ours so the join uses messages' unique index.
            context.Count(await c.ExecuteAsync(new CommandDefinition(
                $"""
                UPDATE {UmsTableDdl.Quote(table)} l LEFT JOIN messages m ON m.client_key = CONVERT(l.CLIENT_KEY USING utf8mb4) COLLATE utf8mb4_unicode_ci
                SET l.PHONE = NULL, l.MSG = NULL
                WHERE l.REQ_DATE < @cutoffKst AND (l.PHONE IS NOT NULL OR l.MSG IS NOT NULL) AND {LegalHolds.NotHeld("m.campaign_id")}
                """,
                new { cutoffKst, now = context.NowUtc }, commandTimeout: 600, cancellationToken: cancellationToken)));
        }
    }

    private bool IsMonthTable(string table) =>
        table.Length == options.LogTablePrefix.Length + 6
        && DateTime.TryParseExact(table[options.LogTablePrefix.Length..], "yyyyMM", CultureInfo.InvariantCulture, DateTimeStyles.None, out _);
}
