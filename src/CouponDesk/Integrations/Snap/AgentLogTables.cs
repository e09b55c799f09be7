using CouponDesk.Data;
using CouponDesk.Hosting;
using CouponDesk.Shared.Snap;
using CouponDesk.Shared.Time;
using Dapper;
using MySqlConnector;
using Quartz;

namespace CouponDesk.Integrations.Snap;

/// <summary>
/// The one owner of DDL on the agent's month tables (no request or sync ever alters a table at run time; on a Galera
/// cluster DDL stops writes cluster-wide while it runs). Run by <see cref="Job"/> in the <c>jobs</c> role at start and
/// every hour:
/// <list type="bullet">
/// <item>with <c>Snap:PrepareLogTables</c>, creates the current and next KST month's <c>UMS_LOG_YYYYMM</c> ahead of the
/// agent, with a primary key and our CLIENT_KEY index (<see cref="UmsTableDdl.CreatePreparedLogTable"/>); the agent
/// finds the table and only inserts into it;</item>
/// <item>with <c>Snap:IndexLogTables</c>, adds our CLIENT_KEY index to month tables the agent created itself (a new
/// table is small, so this is quick; until then the result sync reads that month without the index).</item>
/// </list>
/// Both steps look at information_schema first and issue DDL only for what is missing.
/// </summary>
public sealed class AgentLogTables(DbConnectionFactory connections, SnapOptions options, TimeProvider time, ILogger<AgentLogTables> logger)
{
    public sealed record Prepared(IReadOnlyList<string> Created, IReadOnlyList<string> Indexed);

    public async Task<Prepared> PrepareAsync(CancellationToken ct)
    {
        await using var c = await connections.OpenAsync(ct);
        var existing = await LogTablesAsync(c, ct);
        var created = new List<string>();
        if (options.PrepareLogTables)
        {
            var month = Kst.ToKst(time.GetUtcNow().UtcDateTime);
            foreach (var m in new[] { month, month.AddMonths(1) })
            {
                var table = UmsTableDdl.LogTableName(options.LogTablePrefix, m.Year, m.Month);
                if (!existing.ContainsKey(table))
                {
                    await c.ExecuteAsync(new CommandDefinition(UmsTableDdl.CreatePreparedLogTable(table), cancellationToken: ct));
                    created.Add(table);
                    logger.LogInformation("Month table {Table} prepared ahead of the agent", table);
                }
            }
        }

        var indexed = new List<string>();
        if (options.IndexLogTables)
        {
            foreach (var table in existing.Where(t => !t.Value).Select(t => t.Key))
            {
                await c.ExecuteAsync(new CommandDefinition(
                    $"ALTER TABLE {UmsTableDdl.Quote(table)} ADD INDEX IF NOT EXISTS {UmsTableDdl.KeyIndex} (CLIENT_KEY)", cancellationToken: ct));
                indexed.Add(table);
                logger.LogInformation("Helper index {Index} added to the agent's month table {Table}", UmsTableDdl.KeyIndex, table);
            }
        }

        return new Prepared(created, indexed);
    }

    /// <summary>Month tables (by prefix + 6 digits) and whether each already has our helper index.</summary>
    private async Task<Dictionary<string, bool>> LogTablesAsync(MySqlConnection c, CancellationToken ct)
    {
        var pattern = options.LogTablePrefix.Replace("_", "\\_", StringComparison.Ordinal) + "______";
        var rows = await c.QueryAsync<(string Table, long Indexed)>(new CommandDefinition(
            """
            SELECT t.TABLE_NAME,
              (SELECT COUNT(*) FROM information_schema.STATISTICS s
               WHERE s.TABLE_SCHEMA = t.TABLE_SCHEMA AND s.TABLE_NAME = t.TABLE_NAME AND s.INDEX_NAME = @index)
            FROM information_schema.TABLES t WHERE t.TABLE_SCHEMA = DATABASE() AND t.TABLE_NAME LIKE @pattern
            """, new { pattern, index = UmsTableDdl.KeyIndex }, cancellationToken: ct));
        return rows.Where(r => r.Table[options.LogTablePrefix.Length..].All(char.IsAsciiDigit))
            .ToDictionary(r => r.Table, r => r.Indexed > 0, StringComparer.Ordinal);
    }

    [DisallowConcurrentExecution]
    public sealed class Job(AgentLogTables tables) : IJob
    {
        public async ValueTask Execute(IJobExecutionContext context, CancellationToken cancellationToken) =>
            await tables.PrepareAsync(cancellationToken);
    }

    /// <summary>At start and then hourly (a month table the agent creates at the turn of the month gets its index within the hour).</summary>
    public sealed class Registration : IJobRegistration
    {
        public void Register(IQuartzBuilder quartz) => quartz.ScheduleJob<Job>(
            trigger => trigger
                .WithIdentity("snap-log-tables-trigger", "messages")
                .StartNow()
                .WithSimpleSchedule(s => s.WithInterval(TimeSpan.FromHours(1)).RepeatForever()
                    .WithMisfireInstruction(SimpleTriggerMisfireInstruction.NextWithRemainingCount)),
            job => job.StoreDurably().WithIdentity("snap-log-tables", "messages"));
    }
}
