using MySqlConnector;

namespace CouponDesk.CoufunStandIn.Ledger;

/// <summary>Connections to the stand-in's database; DATETIME values are UTC, text is utf8mb4.</summary>
public sealed class StandInDb(StandInOptions options)
{
    private readonly string connectionString = new MySqlConnectionStringBuilder(options.ConnectionString)
    {
        DateTimeKind = MySqlDateTimeKind.Utc,
        CharacterSet = "utf8mb4",
    }.ConnectionString;

    public async Task<MySqlConnection> OpenAsync(CancellationToken cancellationToken = default)
    {
        var connection = new MySqlConnection(connectionString);
        await connection.OpenAsync(cancellationToken);
        return connection;
    }
}
