using CouponDesk.Data;
using Dapper;
using Microsoft.Extensions.Logging.Abstractions;
using MySqlConnector;

namespace CouponDesk.TestSupport;

/// <summary>
/// A database of its own for one test class (or one test): created empty, migrated on demand, dropped at the end,
/// so classes run in parallel against the real MariaDB and leave nothing behind.
/// </summary>
public sealed class TestDatabase : IAsyncLifetime
{
    public TestDatabase()
    {
        Name = $"cdt_{DateTime.UtcNow:MMdd}_{Guid.NewGuid().ToString("N")[..10]}";
        var builder = new MySqlConnectionStringBuilder(TestEnvironment.ServerConnectionString) { Database = Name };
        ConnectionString = DbConnectionFactory.Normalize(builder.ConnectionString);
        Connections = new DbConnectionFactory(new DatabaseOptions { ConnectionString = ConnectionString });
    }

    public string Name { get; }

    public string ConnectionString { get; }

    public DbConnectionFactory Connections { get; }

    public DatabaseMigrator Migrator => new(Connections, NullLogger<DatabaseMigrator>.Instance);

    /// <summary>Creates the database and brings it to the latest schema.</summary>
    public Task MigrateAsync() => Migrator.MigrateAsync();

    public async Task CreateEmptyAsync()
    {
        await using var server = await OpenServerAsync();
        await server.ExecuteAsync($"CREATE DATABASE IF NOT EXISTS `{Name}` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci");
    }

    public Task<MySqlConnection> OpenAsync() => Connections.OpenAsync();

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        MySqlConnection.ClearAllPools();
        await using var server = await OpenServerAsync();
        await server.ExecuteAsync($"DROP DATABASE IF EXISTS `{Name}`");
    }

    private static async Task<MySqlConnection> OpenServerAsync()
    {
        var connection = new MySqlConnection(TestEnvironment.ServerConnectionString);
        await connection.OpenAsync();
        return connection;
    }
}
