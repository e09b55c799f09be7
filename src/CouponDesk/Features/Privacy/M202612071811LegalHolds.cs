using FluentMigrator;

namespace CouponDesk.Features.Privacy;

/// <summary>
/// 보존 연장 (legal hold, spec §7.5): an ADMIN keeps one campaign's data past its retention for up to one year, with a
/// reason. A hold is in force while <c>held_until</c> is ahead; every purge step skips the campaigns in force. Releasing
/// a hold deletes its row (the audit log keeps who set and released it).
/// </summary>
[Migration(202612071811, "Legal holds on campaigns")]
public sealed class M202612071811LegalHolds : Migration
{
    public override void Up() => Execute.Sql("""
        CREATE TABLE IF NOT EXISTS legal_holds (
          campaign_id BIGINT NOT NULL PRIMARY KEY,
          held_until DATETIME(6) NOT NULL COMMENT 'UTC; the purge skips the campaign until then',
          reason VARCHAR(200) NOT NULL,
          set_by_login VARCHAR(64) NOT NULL,
          set_at DATETIME(6) NOT NULL
        ) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci
        """);

    public override void Down() => Execute.Sql("DROP TABLE IF EXISTS legal_holds");
}
