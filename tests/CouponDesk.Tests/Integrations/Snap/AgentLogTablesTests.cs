using CouponDesk.Data;
using CouponDesk.Integrations.Snap;
using CouponDesk.Shared.Snap;
using CouponDesk.Shared.Time;
using Dapper;
using Microsoft.Extensions.Logging.Abstractions;

namespace CouponDesk.Tests.Integrations.Snap;

/// <summary>The one owner of DDL on the agent's month tables: prepares them ahead with a primary key, indexes the agent's own.</summary>
public sealed class AgentLogTablesTests(SnapKit kit) : IClassFixture<SnapKit>
{
    [Fact]
    public async Task This_and_next_month_are_prepared_once_with_a_primary_key_and_the_helper_index()
    {
        var tables = Tables(new SnapOptions { ImageDirectory = kit.ImageDirectory, LogTablePrefix = "PREP_LOG_" });
        var now = Kst.ToKst(DateTime.UtcNow);
        var expected = new[] { now, now.AddMonths(1) }.Select(m => UmsTableDdl.LogTableName("PREP_LOG_", m.Year, m.Month)).ToArray();

        var first = await tables.PrepareAsync(CancellationToken.None);
        var second = await tables.PrepareAsync(CancellationToken.None);

        Assert.Equal(expected, first.Created);
        Assert.Empty(second.Created);
        Assert.Empty(second.Indexed);
        foreach (var table in expected)
        {
            Assert.Equal(["CD_IDX_CLIENT_KEY", "PRIMARY", "ums_log_IDX1", "ums_log_IDX2"], await IndexesAsync(table));
        }

        // The agent's whole-row copy (no column list) still fits: the key column is invisible.
        var queued = (await kit.QueueAsync(await kit.MmsAsync())).Single();
        await kit.ExecuteAsync($"INSERT INTO {expected[0]} SELECT * FROM UMS_MSG WHERE CLIENT_KEY = @ClientKey", new { queued.ClientKey });
        await kit.ExecuteAsync($"INSERT INTO {expected[0]} SELECT * FROM UMS_MSG WHERE CLIENT_KEY = @ClientKey", new { queued.ClientKey });
        Assert.Equal(2, await kit.ScalarAsync<int>($"SELECT COUNT(*) FROM {expected[0]} WHERE CLIENT_KEY = @ClientKey", new { queued.ClientKey }));
    }

    [Fact]
    public async Task A_month_table_the_agent_created_gets_the_helper_index_from_the_job_only()
    {
        var table = UmsTableDdl.LogTableName("AGNT_LOG_", 2024, 1);
        await kit.ExecuteAsync(UmsTableDdl.CreateLogTable(table));
        var tables = Tables(new SnapOptions { ImageDirectory = kit.ImageDirectory, LogTablePrefix = "AGNT_LOG_", PrepareLogTables = false });
        Assert.Equal(["ums_log_IDX1", "ums_log_IDX2"], await IndexesAsync(table));

        var prepared = await tables.PrepareAsync(CancellationToken.None);

        Assert.Empty(prepared.Created);
        Assert.Equal([table], prepared.Indexed);
        Assert.Equal(["CD_IDX_CLIENT_KEY", "ums_log_IDX1", "ums_log_IDX2"], await IndexesAsync(table));
        Assert.Empty((await tables.PrepareAsync(CancellationToken.None)).Indexed);
    }

    [Fact]
    public async Task With_both_switches_off_nothing_is_touched()
    {
        var table = UmsTableDdl.LogTableName("OFF_LOG_", 2024, 2);
        await kit.ExecuteAsync(UmsTableDdl.CreateLogTable(table));
        var tables = Tables(new SnapOptions { ImageDirectory = kit.ImageDirectory, LogTablePrefix = "OFF_LOG_", PrepareLogTables = false, IndexLogTables = false });

        var prepared = await tables.PrepareAsync(CancellationToken.None);

        Assert.Empty(prepared.Created);
        Assert.Empty(prepared.Indexed);
        Assert.Equal(["ums_log_IDX1", "ums_log_IDX2"], await IndexesAsync(table));
    }

    private AgentLogTables Tables(SnapOptions options) =>
        new(kit.Get<DbConnectionFactory>(), options, TimeProvider.System, NullLogger<AgentLogTables>.Instance);

    private async Task<string[]> IndexesAsync(string table)
    {
        await using var c = await kit.OpenAsync();
        return [.. await c.QueryAsync<string>(
            "SELECT DISTINCT INDEX_NAME FROM information_schema.STATISTICS WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = @table ORDER BY BINARY INDEX_NAME",
            new { table })];
    }
}
