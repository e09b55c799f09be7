using System.Globalization;
using CouponDesk.Shared.Snap;
using CouponDesk.Shared.Time;
using Dapper;
using MySqlConnector;

namespace CouponDesk.Integrations.Snap;

/// <summary>
/// Reads results the way spec/snap-agent.md §12.3 says: first <c>UMS_MSG</c>, then — for every key not complete there —
/// the month tables <c>UMS_LOG_YYYYMM</c> from the KST month of its <c>REQ_DATE</c> to the current month, only those that
/// exist (listed from information_schema), by key through our helper index (created with the table or added by the
/// hourly <see cref="AgentLogTables"/> job — never here: no DDL at run time). Reading the send
/// table before the month tables means a row the agent moves in between is found in the month table; duplicates in
/// month tables (no primary key there) resolve to the latest <c>DONE_DATE</c>. Read-only: we never update agent tables.
/// </summary>
public sealed class SnapResultReader(SnapOptions options)
{
    private const string ResultColumns =
        "CLIENT_KEY, MSG_STATUS, SENT_DATE, DONE_DATE, DONE_CODE, DONE_CODE_DESC, DONE_TELCO, DONE_PRODUCT";

    /// <summary>Test hook: runs between the send-table read and the month-table reads (to move a row mid-read).</summary>
    internal Func<Task>? BetweenReads { get; set; }

    public async Task<IReadOnlyDictionary<string, AgentResultRow>> ReadAsync(
        MySqlConnection connection, IReadOnlyList<AgentLookup> lookups, DateTime nowUtc, CancellationToken cancellationToken)
    {
        var found = new Dictionary<string, AgentResultRow>(StringComparer.Ordinal);
        if (lookups.Count == 0)
        {
            return found;
        }

        foreach (var chunk in lookups.Chunk(1000))
        {
            var keys = chunk.Select(l => l.ClientKey).ToArray();
            foreach (var row in await QueryAsync(connection, options.SendTable, keys, fromLog: false, cancellationToken))
            {
                found[row.ClientKey] = row;
            }
        }

        if (BetweenReads is { } hook)
        {
            await hook();
        }

        var unfinished = lookups.Where(l => !found.TryGetValue(l.ClientKey, out var row) || !row.IsComplete).ToArray();
        if (unfinished.Length == 0)
        {
            return found;
        }

        var currentMonth = MonthOf(nowUtc);
        foreach (var (month, table) in await ExistingLogTablesAsync(connection, cancellationToken))
        {
            var inRange = unfinished.Where(l => MonthOf(l.ReqAtUtc) <= month && month <= currentMonth).Select(l => l.ClientKey).ToArray();
            if (inRange.Length == 0)
            {
                continue;
            }

            foreach (var chunk in inRange.Chunk(1000))
            {
                foreach (var row in await QueryAsync(connection, table, chunk, fromLog: true, cancellationToken))
                {
                    if (!found.TryGetValue(row.ClientKey, out var earlier) || !earlier.FromLogTable || Later(row, earlier))
                    {
                        found[row.ClientKey] = row;
                    }
                }
            }
        }

        return found;
    }

    /// <summary>Month tables that exist, as (yyyyMM, name), oldest first.</summary>
    public async Task<IReadOnlyList<(int Month, string Table)>> ExistingLogTablesAsync(MySqlConnection connection, CancellationToken cancellationToken)
    {
        var pattern = options.LogTablePrefix.Replace("_", "\\_", StringComparison.Ordinal) + "%";
        var names = await connection.QueryAsync<string>(new CommandDefinition(
            "SELECT TABLE_NAME FROM information_schema.TABLES WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME LIKE @pattern",
            new { pattern }, cancellationToken: cancellationToken));
        var tables = new List<(int, string)>();
        foreach (var name in names)
        {
            var suffix = name[options.LogTablePrefix.Length..];
            if (name.StartsWith(options.LogTablePrefix, StringComparison.Ordinal) && suffix.Length == 6
                && int.TryParse(suffix, NumberStyles.None, CultureInfo.InvariantCulture, out var month))
            {
                tables.Add((month, name));
            }
        }

        return [.. tables.OrderBy(t => t.Item1)];
    }

    /// <summary>yyyyMM of the KST date of a UTC instant.</summary>
    public static int MonthOf(DateTime utc)
    {
        var kst = Kst.ToKst(utc);
        return (kst.Year * 100) + kst.Month;
    }

    private static bool Later(AgentResultRow candidate, AgentResultRow current) =>
        (candidate.DoneAtUtc ?? DateTime.MinValue) > (current.DoneAtUtc ?? DateTime.MinValue);

    private static async Task<IEnumerable<AgentResultRow>> QueryAsync(
        MySqlConnection connection, string table, string[] keys, bool fromLog, CancellationToken cancellationToken)
    {
        var rows = await connection.QueryAsync<RawRow>(new CommandDefinition(
            $"SELECT {ResultColumns} FROM {UmsTableDdl.Quote(table)} WHERE CLIENT_KEY IN @keys",
            new { keys }, cancellationToken: cancellationToken));
        return rows.Select(r => new AgentResultRow(
            r.CLIENT_KEY.Trim(), r.MSG_STATUS.Trim(), FromAgentClock(r.SENT_DATE), FromAgentClock(r.DONE_DATE),
            r.DONE_CODE?.Trim(), r.DONE_CODE_DESC, r.DONE_TELCO, r.DONE_PRODUCT, fromLog));
    }

    /// <summary>Agent columns hold KST wall-clock time; the connection labels every DATETIME as UTC, so relabel and convert.</summary>
    private static DateTime? FromAgentClock(DateTime? value) =>
        value is { } v ? Kst.ToUtc(DateTime.SpecifyKind(v, DateTimeKind.Unspecified)) : null;

#pragma warning disable IDE1006, CA1812 // column names as the agent spells them; instantiated by Dapper
    private sealed record RawRow(
        string CLIENT_KEY, string MSG_STATUS, DateTime? SENT_DATE, DateTime? DONE_DATE, string? DONE_CODE,
        string? DONE_CODE_DESC, string? DONE_TELCO, string? DONE_PRODUCT);
#pragma warning restore IDE1006, CA1812
}
