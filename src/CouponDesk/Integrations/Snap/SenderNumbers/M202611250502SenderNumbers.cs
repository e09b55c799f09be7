using FluentMigrator;

namespace CouponDesk.Integrations.Snap.SenderNumbers;

/// <summary>
/// Sender (callback) numbers registered with LG U+ (spec/snap-agent.md §10). The gateway fails an unregistered number
/// with 22002, so we accept only numbers listed here. The campaign feature gives ADMINs an API over this table.
/// </summary>
[Migration(202611250502, "Sender numbers")]
public sealed class M202611250502SenderNumbers : Migration
{
    public override void Up()
    {
        Execute.Sql("""
            CREATE TABLE IF NOT EXISTS sender_numbers (
              id BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY,
              number VARCHAR(11) NOT NULL COMMENT 'digits only, 8-11',
              label VARCHAR(100) NOT NULL,
              active TINYINT(1) NOT NULL,
              created_at DATETIME(6) NOT NULL,
              updated_at DATETIME(6) NOT NULL,
              UNIQUE KEY ux_sender_numbers_number (number)
            ) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci
            """);
    }

    public override void Down() => Execute.Sql("DROP TABLE IF EXISTS sender_numbers");
}
