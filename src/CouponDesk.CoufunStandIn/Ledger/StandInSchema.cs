using Dapper;
using MySqlConnector;

namespace CouponDesk.CoufunStandIn.Ledger;

/// <summary>
/// The stand-in's own database: created at start with <c>CREATE DATABASE/TABLE IF NOT EXISTS</c> (no migration
/// runner: the stand-in is test equipment with one schema version; a change adds a new IF NOT EXISTS statement).
/// Times we write are UTC DATETIME(6); COUFUN's own date strings (KST) are kept as the CHAR values it sends.
/// </summary>
public sealed class StandInSchema(StandInOptions options)
{
    private static readonly string[] Tables =
    [
        """
        CREATE TABLE IF NOT EXISTS tr_calls (
          poc_id VARCHAR(10) NOT NULL,
          tr_id VARCHAR(64) NOT NULL,
          calls INT NOT NULL,
          consumed TINYINT(1) NOT NULL DEFAULT 0,
          last_code CHAR(2) NULL,
          responses_dropped INT NOT NULL DEFAULT 0,
          first_seen_at DATETIME(6) NOT NULL,
          PRIMARY KEY (poc_id, tr_id)
        ) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin
        """,
        """
        CREATE TABLE IF NOT EXISTS orders (
          id BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY,
          poc_id VARCHAR(10) NOT NULL,
          order_id VARCHAR(30) NULL,
          tr_id VARCHAR(64) NULL,
          goods_id VARCHAR(10) NOT NULL,
          cat_id VARCHAR(10) NOT NULL,
          order_cnt INT NOT NULL,
          valid_end_date CHAR(8) NOT NULL,
          reserve1 VARCHAR(600) NOT NULL,
          reserve2 VARCHAR(600) NOT NULL,
          response_dropped TINYINT(1) NOT NULL DEFAULT 0,
          created_at DATETIME(6) NOT NULL,
          UNIQUE KEY ux_orders_order_id (order_id),
          KEY ix_orders_tr (poc_id, tr_id)
        ) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci
        """,
        """
        CREATE TABLE IF NOT EXISTS coupons (
          barcode_num VARCHAR(30) NOT NULL PRIMARY KEY,
          order_row_id BIGINT NOT NULL,
          poc_id VARCHAR(10) NOT NULL,
          goods_id VARCHAR(10) NOT NULL,
          coupon_type VARCHAR(10) NOT NULL,
          status CHAR(3) NOT NULL,
          total_amount INT NOT NULL,
          remain_amount INT NOT NULL,
          price INT NOT NULL,
          order_date CHAR(8) NOT NULL,
          valid_end_date CHAR(8) NOT NULL,
          exchange_date CHAR(14) NULL,
          cancel_date CHAR(14) NULL,
          stamp_duty VARCHAR(100) NOT NULL,
          created_at DATETIME(6) NOT NULL,
          KEY ix_coupons_order (order_row_id),
          KEY ix_coupons_status (poc_id, status)
        ) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci
        """,
        """
        CREATE TABLE IF NOT EXISTS product_list_calls (
          poc_id VARCHAR(10) NOT NULL,
          day_kst CHAR(8) NOT NULL,
          calls INT NOT NULL,
          PRIMARY KEY (poc_id, day_kst)
        ) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci
        """,
        """
        CREATE TABLE IF NOT EXISTS push_events (
          id BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY,
          barcode_num VARCHAR(30) NOT NULL,
          exchange_num VARCHAR(30) NOT NULL,
          status CHAR(3) NOT NULL,
          exchange_date CHAR(14) NOT NULL,
          branch_name VARCHAR(50) NOT NULL,
          branch_code VARCHAR(20) NOT NULL,
          barcode_type VARCHAR(10) NOT NULL,
          price INT NOT NULL,
          balance INT NOT NULL,
          attempts INT NOT NULL DEFAULT 0,
          next_attempt_at DATETIME(6) NOT NULL,
          delivered_at DATETIME(6) NULL,
          gave_up TINYINT(1) NOT NULL DEFAULT 0,
          last_reply VARCHAR(500) NULL,
          created_at DATETIME(6) NOT NULL,
          KEY ix_push_due (delivered_at, gave_up, next_attempt_at)
        ) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci
        """,
    ];

    public async Task EnsureAsync(CancellationToken cancellationToken)
    {
        var builder = new MySqlConnectionStringBuilder(options.ConnectionString);
        var database = builder.Database;
        if (string.IsNullOrWhiteSpace(database))
        {
            throw new CouponDesk.Shared.Hosting.ConfigurationException($"{StandInOptions.Section}:ConnectionString names no database (Database=...)");
        }

        builder.Database = "";
        await using (var server = new MySqlConnection(builder.ConnectionString))
        {
            await server.OpenAsync(cancellationToken);
            await server.ExecuteAsync($"CREATE DATABASE IF NOT EXISTS `{database.Replace("`", "``", StringComparison.Ordinal)}` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci");
        }

        await using var connection = new MySqlConnection(options.ConnectionString);
        await connection.OpenAsync(cancellationToken);
        foreach (var table in Tables)
        {
            await connection.ExecuteAsync(table);
        }
    }
}

/// <summary>Creates the schema before the server takes calls.</summary>
public sealed class SchemaOnStart(StandInSchema schema) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken) => schema.EnsureAsync(cancellationToken);

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
