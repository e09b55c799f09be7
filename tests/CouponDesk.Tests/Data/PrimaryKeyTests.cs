using CouponDesk.Data;
using CouponDesk.Integrations.Snap;
using CouponDesk.TestSupport;
using Dapper;
using Microsoft.Extensions.Logging.Abstractions;

namespace CouponDesk.Tests.Data;

/// <summary>
/// Galera replicates row events by primary key and needs one on every table: every table of a migrated database —
/// ours, Quartz's, FluentMigrator's version table, the agent's send table and the month tables we prepare — has one.
/// </summary>
public sealed class PrimaryKeyTests : IAsyncLifetime
{
    private readonly TestDatabase database = new();

    [Fact]
    public async Task Every_table_of_a_migrated_database_has_a_primary_key()
    {
        await database.MigrateAsync();
        var prepared = await MonthTables().PrepareAsync(CancellationToken.None);

        var tables = await TablesAsync();
        Assert.Contains("VersionInfo", tables.Keys);
        Assert.Contains("QRTZ_TRIGGERS", tables.Keys);
        Assert.Contains("UMS_MSG", tables.Keys);
        Assert.Contains("named_leases", tables.Keys);
        Assert.Equal(2, prepared.Created.Count);
        Assert.All(prepared.Created, t => Assert.Contains(t, tables.Keys));
        Assert.True(tables.Count > 40, $"only {tables.Count} tables");
        Assert.Empty(tables.Where(t => !t.Value).Select(t => t.Key));
    }

    [Fact]
    public async Task A_version_table_made_before_it_had_a_primary_key_gets_one_and_keeps_its_history()
    {
        await database.MigrateAsync();
        await using (var c = await database.OpenAsync())
        {
            // FluentMigrator's default table: a unique index, no primary key (databases migrated before this change).
            await c.ExecuteAsync("ALTER TABLE VersionInfo DROP PRIMARY KEY");
        }

        var before = await HistoryAsync();
        Assert.False((await TablesAsync())["VersionInfo"]);

        await database.MigrateAsync();

        Assert.True((await TablesAsync())["VersionInfo"]);
        Assert.Equal(before, await HistoryAsync());
        Assert.Equal(DatabaseMigrator.LatestVersion, await database.Migrator.CurrentVersionAsync());
    }

    private AgentLogTables MonthTables() => new(database.Connections, new SnapOptions { ImageDirectory = Path.GetTempPath() }, TimeProvider.System, NullLogger<AgentLogTables>.Instance);

    /// <summary>Every base table of the database and whether it has a primary key.</summary>
    private async Task<Dictionary<string, bool>> TablesAsync()
    {
        await using var c = await database.OpenAsync();
        var rows = await c.QueryAsync<(string Table, long Keys)>(
            """
            SELECT t.table_name, (SELECT COUNT(*) FROM information_schema.table_constraints k
              WHERE k.table_schema = t.table_schema AND k.table_name = t.table_name AND k.constraint_type = 'PRIMARY KEY')
            FROM information_schema.tables t WHERE t.table_schema = DATABASE() AND t.table_type = 'BASE TABLE'
            """);
        return rows.ToDictionary(r => r.Table, r => r.Keys > 0, StringComparer.Ordinal);
    }

    private async Task<string> HistoryAsync()
    {
        await using var c = await database.OpenAsync();
        return string.Join('\n', await c.QueryAsync<string>("SELECT CONCAT_WS('|', Version, AppliedOn, Description) FROM VersionInfo ORDER BY Version"));
    }

    public Task InitializeAsync() => Task.CompletedTask;

    public Task DisposeAsync() => database.DisposeAsync();
}
