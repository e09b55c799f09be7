using CouponDesk.Shared.Hosting;
using MySqlConnector;

namespace CouponDesk.Data;

/// <summary>
/// Opens connections to the CouponDesk database. DATETIME values are read as UTC (our tables store UTC);
/// the session time zone is left at the server's KST so the SNAP Agent's <c>NOW()</c> comparisons stay true.
/// </summary>
public sealed class DbConnectionFactory
{
    public DbConnectionFactory(DatabaseOptions options)
    {
        ConnectionString = Normalize(options.ConnectionString);
    }

    public string ConnectionString { get; }

    public string DatabaseName => new MySqlConnectionStringBuilder(ConnectionString).Database;

    public async Task<MySqlConnection> OpenAsync(CancellationToken cancellationToken = default)
    {
        var connection = new MySqlConnection(ConnectionString);
        await connection.OpenAsync(cancellationToken);
        return connection;
    }

    public static string Normalize(string connectionString)
    {
        MySqlConnectionStringBuilder builder;
        try
        {
            builder = new MySqlConnectionStringBuilder(connectionString);
        }
        catch (ArgumentException ex)
        {
            throw new ConfigurationException($"{DatabaseOptions.Section}:ConnectionString is not a valid connection string ({ex.Message})");
        }

        if (string.IsNullOrWhiteSpace(builder.Database))
        {
            throw new ConfigurationException($"{DatabaseOptions.Section}:ConnectionString names no database (Database=...)");
        }

        builder.DateTimeKind = MySqlDateTimeKind.Utc;
        builder.CharacterSet = "utf8mb4";
        return builder.ConnectionString;
    }
}
