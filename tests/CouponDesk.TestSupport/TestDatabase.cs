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
    private readonly string serverConnectionString;

    /// <param name="serverConnectionString">Another MariaDB server than the test run's (e.g. one with binary logs); default: <see cref="TestEnvironment.ServerConnectionString"/>.</param>
    /// <param name="name">A database kept between runs (benchmarks that reuse generated data); default: a new random name.</param>
    public TestDatabase(string? serverConnectionString = null, string? name = null)
    {
        this.serverConnectionString = serverConnectionString ?? TestEnvironment.ServerConnectionString;
        Name = name ?? $"cdt_{DateTime.UtcNow:MMdd}_{Guid.NewGuid().ToString("N")[..10]}";
        var builder = new MySqlConnectionStringBuilder(this.serverConnectionString) { Database = Name };
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

    /// <summary>The same database through another server of a cluster (another Galera node).</summary>
    public string ConnectionStringOn(string serverConnectionString) =>
        DbConnectionFactory.Normalize(new MySqlConnectionStringBuilder(serverConnectionString) { Database = Name }.ConnectionString);

    private async Task<MySqlConnection> OpenServerAsync()
    {
        var connection = new MySqlConnection(serverConnectionString);
        await connection.OpenAsync();
        return connection;
    }
}
