using FluentMigrator;

namespace CouponDesk.Features.Campaigns.SenderNumbers;

/// <summary>
/// MERGE NOTE (issue 7 placeholder): the registered sender numbers (spec §3.11, snap-agent.md §10) belong to the SNAP
/// issue (5). Until it lands this creates only what campaign registration needs, IF NOT EXISTS; reconcile at merge.
/// </summary>
[Migration(202611250704, "Sender numbers (issue 7 placeholder)")]
public sealed class M202611250704SenderNumbersForIssue7 : Migration
{
    public override void Up()
    {
        Execute.Sql("""
            CREATE TABLE IF NOT EXISTS sender_numbers (
              id BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY,
              number VARCHAR(11) NOT NULL COMMENT 'digits only, 8-11',
              description VARCHAR(50) NOT NULL DEFAULT '',
              is_default TINYINT(1) NOT NULL DEFAULT 0,
              created_at DATETIME(6) NOT NULL,
              updated_at DATETIME(6) NOT NULL,
              UNIQUE KEY ux_sender_numbers_number (number)
            ) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci
            """);
    }

    public override void Down() => Execute.Sql("DROP TABLE IF EXISTS sender_numbers");
}
