using FluentMigrator;

namespace CouponDesk.Features.Exports;

/// <summary>
/// 다운로드 내역 (spec §3.3.4, §4.8): one row per requested Excel export, REQUESTED → GENERATING → READY → EXPIRED, or
/// FAILED. The file is deleted 24 hours after READY; the row stays (who asked for what, masked or not, and why).
/// </summary>
[Migration(202612071822, "Exports")]
public sealed class M202612071822Exports : Migration
{
    public override void Up() => Execute.Sql("""
        CREATE TABLE IF NOT EXISTS exports (
          id BIGINT NOT NULL AUTO_INCREMENT,
          kind VARCHAR(16) NOT NULL COMMENT 'CAMPAIGN_LIST or CAMPAIGN_DETAIL',
          campaign_id BIGINT NULL,
          filters VARCHAR(2000) NULL COMMENT 'JSON of the list filters (no personal data)',
          unmasked TINYINT(1) NOT NULL,
          reason VARCHAR(200) NULL COMMENT 'why an ADMIN asked for the unmasked file',
          requested_by BIGINT NOT NULL,
          status VARCHAR(16) NOT NULL,
          file_name VARCHAR(200) NOT NULL COMMENT 'the name the browser receives',
          file_path VARCHAR(300) NULL COMMENT 'random name under Exports:Directory; NULL once deleted',
          row_count INT NULL,
          file_bytes BIGINT NULL,
          error VARCHAR(200) NULL COMMENT 'exception type only',
          attempts INT NOT NULL DEFAULT 0,
          claimed_by VARCHAR(200) NULL,
          claim_until DATETIME(6) NULL COMMENT 'UTC: a generation not finished by then is taken over',
          requested_at DATETIME(6) NOT NULL COMMENT 'UTC',
          ready_at DATETIME(6) NULL COMMENT 'UTC',
          expires_at DATETIME(6) NULL COMMENT 'UTC: ready_at + 24 h',
          finished_at DATETIME(6) NULL COMMENT 'UTC: failed or expired',
          PRIMARY KEY (id),
          KEY ix_exports_requester (requested_by, requested_at),
          KEY ix_exports_status (status, expires_at)
        ) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci
        """);

    public override void Down() => Execute.Sql("DROP TABLE IF EXISTS exports");
}
