using FluentMigrator;

namespace CouponDesk.Features.Settings;

/// <summary>
/// 설정 (spec §3.11): the values an ADMIN changed on the page, one row per key; a key without a row takes the configuration
/// file's value. <c>settings_version</c> is bumped in the same transaction as every change, so each process notices a
/// change by polling one tiny row (D-SET-2).
/// </summary>
[Migration(202612071821, "Settings")]
public sealed class M202612071821Settings : Migration
{
    public override void Up()
    {
        Execute.Sql("""
            CREATE TABLE IF NOT EXISTS settings (
              setting_key VARCHAR(100) NOT NULL COMMENT 'configuration key, e.g. Campaigns:NightStartHour',
              value VARCHAR(1000) NULL COMMENT 'invariant text; NULL for a secret',
              secret_value VARBINARY(2048) NULL COMMENT 'a secret (webhook URL), encrypted with the PII key',
              updated_at DATETIME(6) NOT NULL COMMENT 'UTC',
              updated_by BIGINT NULL,
              PRIMARY KEY (setting_key)
            ) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci
            """);
        Execute.Sql("""
            CREATE TABLE IF NOT EXISTS settings_version (
              id TINYINT NOT NULL,
              version BIGINT NOT NULL,
              PRIMARY KEY (id)
            ) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci
            """);
        Execute.Sql("INSERT IGNORE INTO settings_version (id, version) VALUES (1, 0)");
    }

    public override void Down()
    {
        Execute.Sql("DROP TABLE IF EXISTS settings");
        Execute.Sql("DROP TABLE IF EXISTS settings_version");
    }
}
