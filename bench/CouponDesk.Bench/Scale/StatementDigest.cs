using System.Globalization;
using Dapper;
using MySqlConnector;

namespace CouponDesk.Bench.Scale;

/// <summary>
/// MariaDB's statement digest over a benchmark's span: which statements examined the most rows per call, and which
/// read so many rows per call that they must have scanned a big table — the "no full scans of items or messages" check, taken from what the server
/// actually ran rather than from hand-picked EXPLAINs. Needs the server started with <c>--performance-schema=ON</c>
/// (<c>COUPONDESK_DB_EXTRA_ARGS=--performance-schema=ON scripts/mariadb start …</c>); otherwise it says so.
/// </summary>
public sealed class StatementDigest
{
    private readonly string server;
    private readonly bool enabled;

    private StatementDigest(string server, bool enabled)
    {
        this.server = server;
        this.enabled = enabled;
    }

    /// <summary>Empties the digest table, so what is printed later is this span's.</summary>
    public static async Task<StatementDigest> StartAsync(string server)
    {
        await using var c = new MySqlConnection(server);
        await c.OpenAsync();
        var enabled = await c.ExecuteScalarAsync<long>("SELECT @@performance_schema") == 1;
        if (enabled)
        {
            await c.ExecuteAsync("TRUNCATE TABLE performance_schema.events_statements_summary_by_digest");
        }

        return new StatementDigest(server, enabled);
    }

    public async Task PrintAsync(long itemRows, int top = 12)
    {
        if (!enabled)
        {
            Console.WriteLine("statement digest: performance_schema is OFF on this server (start it with --performance-schema=ON to list scans)");
            return;
        }

        await using var c = new MySqlConnection(server);
        await c.OpenAsync();
        var rows = (await c.QueryAsync<(string Text, long Calls, decimal TimerPs, long Examined, long Sent, long NoIndex, long Scans)>(
            """
            SELECT LEFT(REGEXP_REPLACE(DIGEST_TEXT, '\\s+', ' '), 160), COUNT_STAR, SUM_TIMER_WAIT, SUM_ROWS_EXAMINED, SUM_ROWS_SENT, SUM_NO_INDEX_USED, SUM_SELECT_SCAN
            FROM performance_schema.events_statements_summary_by_digest
            WHERE SCHEMA_NAME IS NOT NULL AND DIGEST_TEXT IS NOT NULL AND COUNT_STAR > 0
            """)).ToList();
        Console.WriteLine($"statement digest: {rows.Count} statement shapes, {rows.Sum(r => r.Calls):N0} calls");
        Console.WriteLine("| rows examined / call | calls | ms / call | no index | scans | statement |");
        Console.WriteLine("| --- | --- | --- | --- | --- | --- |");
        foreach (var r in rows.OrderByDescending(r => (double)r.Examined / r.Calls).Take(top))
        {
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"| {(double)r.Examined / r.Calls:N0} | {r.Calls:N0} | {(double)r.TimerPs / r.Calls / 1e9:F2} | {r.NoIndex:N0} | {r.Scans:N0} | `{r.Text}` |"));
        }

        // A statement that reads at least half as many rows per call as there are items is a scan of a big table (a
        // campaign-bounded query reads one campaign's items: 20,000 of 2.4 million). "No index used" alone is not the
        // test: MariaDB also sets it for derived tables and recursive CTEs that read a handful of rows.
        var scans = rows.Where(r => (double)r.Examined / r.Calls >= itemRows / 2.0).ToList();
        Console.WriteLine(scans.Count == 0
            ? $"no statement read >= {itemRows / 2:N0} rows per call (half the {itemRows:N0} items; goal: no full scans) -> PASS"
            : $"{scans.Count} statement shape(s) read >= {itemRows / 2:N0} rows per call (goal: no full scans) -> MISS");
    }
}
