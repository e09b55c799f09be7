using System.Reflection;
using CouponDesk.Data.Leases;
using Dapper;
using FluentMigrator;
using FluentMigrator.Runner;
using FluentMigrator.Runner.VersionTableInfo;
using Microsoft.Extensions.Logging.Abstractions;
using MySqlConnector;

namespace CouponDesk.Data;

/// <summary>
/// Brings a database to the latest schema with FluentMigrator. Creates the database (utf8mb4) when it is missing,
/// and holds the <c>migrate</c> lease (a replicated row, <see cref="NamedLeases"/>) so several processes starting
/// together — on one server or on several nodes of a cluster — migrate once. The version table has a primary key
/// (<see cref="VersionTable"/>; Galera needs one on every table).
/// </summary>
public sealed class DatabaseMigrator(
    DbConnectionFactory connections,
    ILogger<DatabaseMigrator> logger,
    IEnumerable<IMigrationInput>? inputs = null)
{
    private const string LeaseName = "migrate";

    /// <summary>The highest migration version this build knows.</summary>
    public static long LatestVersion { get; } = typeof(DatabaseMigrator).Assembly.GetTypes()
        .Select(t => t.GetCustomAttribute<MigrationAttribute>()?.Version ?? 0)
        .Max();

    public async Task MigrateAsync(CancellationToken cancellationToken = default)
    {
        await EnsureDatabaseExistsAsync(cancellationToken);

        await using (var c = await connections.OpenAsync(cancellationToken))
        {
            await NamedLeases.EnsureTableAsync(c, cancellationToken);
        }

        var leases = new NamedLeases(connections, NullLogger<NamedLeases>.Instance);
        // Renewed while the migrations run; a migrator that dies leaves it for one minute at most.
        await using var lease = await leases.AcquireAsync(LeaseName, TimeSpan.FromMinutes(1), TimeSpan.FromMinutes(10), cancellationToken);
        await VersionTable.AddPrimaryKeyAsync(connections, cancellationToken);
        var runnerServices = new ServiceCollection();
        foreach (var input in inputs ?? [])
        {
            runnerServices.AddSingleton(input.GetType(), input);
        }

        using var services = runnerServices
            .AddFluentMigratorCore()
            .AddScoped<IVersionTableMetaData, VersionTable>()
            .ConfigureRunner(runner => runner
                .AddMySql8()
                .WithGlobalConnectionString(connections.ConnectionString)
                .WithGlobalCommandTimeout(TimeSpan.FromMinutes(5))
                .ScanIn(typeof(DatabaseMigrator).Assembly).For.Migrations())
            .BuildServiceProvider(validateScopes: false);
        var runner = services.GetRequiredService<IMigrationRunner>();
        if (runner.HasMigrationsToApplyUp())
        {
            logger.LogInformation("Migrating database {Database} to version {Version}", connections.DatabaseName, LatestVersion);
            runner.MigrateUp();
        }
    }

    /// <summary>The version the database is at, or null when it was never migrated.</summary>
    public async Task<long?> CurrentVersionAsync(CancellationToken cancellationToken = default)
    {
        await using var connection = await connections.OpenAsync(cancellationToken);
        var exists = await connection.ExecuteScalarAsync<long>(
            "SELECT COUNT(*) FROM information_schema.tables WHERE table_schema = DATABASE() AND table_name = @Name", new { VersionTable.Name });
        return exists == 0 ? null : await connection.ExecuteScalarAsync<long?>($"SELECT MAX(Version) FROM {VersionTable.Name}");
    }

    private async Task EnsureDatabaseExistsAsync(CancellationToken cancellationToken)
    {
        var builder = new MySqlConnectionStringBuilder(connections.ConnectionString);
        var database = builder.Database;
        builder.Database = "";
        await using var connection = new MySqlConnection(builder.ConnectionString);
        await connection.OpenAsync(cancellationToken);
        var quoted = "`" + database.Replace("`", "``", StringComparison.Ordinal) + "`";
        await connection.ExecuteAsync(
            $"CREATE DATABASE IF NOT EXISTS {quoted} CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci");
    }
}

/// <summary>
/// A value a migration may take in its constructor (FluentMigrator builds migrations with the runner's services), e.g. a
/// switch that turns a migration into a no-op where another party owns the tables. A migration must give such a
/// parameter a default, so a migrator built without inputs (tests, tools) applies the default behaviour.
/// </summary>
public interface IMigrationInput;
