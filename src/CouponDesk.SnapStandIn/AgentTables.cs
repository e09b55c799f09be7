using CouponDesk.Shared.Snap;
using Dapper;
using MySqlConnector;

namespace CouponDesk.SnapStandIn;

/// <summary>
/// The tables the stand-in uses: the agent's <c>UMS_MSG</c> (created if missing, as the agent's auto-creation does),
/// its month tables (created on the first move into a month), and the stand-in's own delivery ledger
/// <c>snapstandin_deliveries</c> — one row per CLIENT_KEY handed to the "gateway", with a count that must stay 1.
/// </summary>
public sealed class AgentTables(AgentOptions options)
{
    public const string Ledger = "snapstandin_deliveries";

    public string Send => UmsTableDdl.Quote(options.SendTable);

    public async Task<MySqlConnection> OpenAsync(CancellationToken cancellationToken)
    {
        var connection = new MySqlConnection(options.ConnectionString);
        await connection.OpenAsync(cancellationToken);
        return connection;
    }

    public async Task EnsureAsync(CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        if (options.CreateTables)
        {
            await connection.ExecuteAsync(UmsTableDdl.CreateSendTable(options.SendTable));
        }

        await connection.ExecuteAsync($"""
            CREATE TABLE IF NOT EXISTS {Ledger} (
              client_key VARCHAR(40) NOT NULL PRIMARY KEY,
              phone VARCHAR(16) NULL,
              title VARCHAR(100) NULL,
              msg VARCHAR(2000) NULL,
              image_files VARCHAR(1000) NULL COMMENT 'copies under the agent home',
              deliver_count INT NOT NULL,
              first_delivered_at DATETIME NOT NULL,
              last_delivered_at DATETIME NOT NULL,
              KEY ix_{Ledger}_phone (phone)
            ) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4
            """);
    }

    /// <summary>Month table name for yyyyMM, created (agent DDL: no primary key, the agent's two indexes) when missing.</summary>
    public async Task<string> EnsureLogTableAsync(MySqlConnection connection, string yyyymm)
    {
        var name = options.LogTablePrefix + yyyymm;
        await connection.ExecuteAsync(UmsTableDdl.CreateLogTable(name));
        return name;
    }

    public async Task<IReadOnlyList<string>> LogTablesAsync(MySqlConnection connection)
    {
        var pattern = options.LogTablePrefix.Replace("_", "\\_", StringComparison.Ordinal) + "%";
        return [.. await connection.QueryAsync<string>(
            "SELECT TABLE_NAME FROM information_schema.TABLES WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME LIKE @pattern",
            new { pattern })];
    }
}
