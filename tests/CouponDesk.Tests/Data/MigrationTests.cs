using CouponDesk.Data;
using CouponDesk.TestSupport;
using Dapper;

namespace CouponDesk.Tests.Data;

public sealed class MigrationTests : IAsyncLifetime
{
    private readonly TestDatabase database = new();

    [Fact]
    public async Task An_empty_database_reaches_the_latest_version()
    {
        await database.MigrateAsync();

        Assert.Equal(DatabaseMigrator.LatestVersion, await database.Migrator.CurrentVersionAsync());
        await using var connection = await database.OpenAsync();
        var charset = await connection.ExecuteScalarAsync<string>(
            "SELECT default_character_set_name FROM information_schema.schemata WHERE schema_name = DATABASE()");
        Assert.Equal("utf8mb4", charset);
    }

    [Fact]
    public async Task Running_the_migrations_twice_changes_nothing()
    {
        await database.MigrateAsync();
        var before = await SchemaSnapshotAsync();

        await database.MigrateAsync();

        Assert.Equal(before, await SchemaSnapshotAsync());
    }

    [Fact]
    public async Task Two_processes_migrating_at_once_both_succeed()
    {
        await database.CreateEmptyAsync();
        var other = new TestDatabase();
        var second = new DatabaseMigrator(database.Connections, Microsoft.Extensions.Logging.Abstractions.NullLogger<DatabaseMigrator>.Instance);

        await Task.WhenAll(database.MigrateAsync(), second.MigrateAsync());

        Assert.Equal(DatabaseMigrator.LatestVersion, await database.Migrator.CurrentVersionAsync());
        await other.DisposeAsync();
    }

    private async Task<string> SchemaSnapshotAsync()
    {
        await using var connection = await database.OpenAsync();
        var columns = await connection.QueryAsync<string>(
            """
            SELECT CONCAT_WS('|', table_name, column_name, column_type, is_nullable, IFNULL(column_default, ''))
            FROM information_schema.columns WHERE table_schema = DATABASE() ORDER BY table_name, ordinal_position
            """);
        var versions = await connection.QueryAsync<string>("SELECT CONCAT(Version, '|', AppliedOn) FROM VersionInfo ORDER BY Version");
        return string.Join('\n', columns.Concat(versions));
    }

    public Task InitializeAsync() => Task.CompletedTask;

    public Task DisposeAsync() => database.DisposeAsync();
}
