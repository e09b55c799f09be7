using FluentMigrator;

namespace CouponDesk.Features.Coupons;

/// <summary>
/// The coupon's status history (spec §4.3, DM §2.4 <c>coupon_status_history</c>): one row per change — and per manual
/// status read (상태 새로고침 stores its answer) — with its source (push / poll / C/S / system), time, old and new state
/// and balance, and the raw STATUS COUFUN reported. Shared by C/S and the status sync; <c>flagged</c> marks a supplier
/// answer that contradicted our record (the supplier's word wins; a person reviews it).
/// </summary>
[Migration(202611261604, "Coupon status history")]
public sealed class M202611261604CouponStatusHistory : Migration
{
    public override void Up() => Execute.Sql("""
        CREATE TABLE IF NOT EXISTS coupon_status_history (
          id BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY,
          coupon_id BIGINT NOT NULL,
          source VARCHAR(8) NOT NULL COMMENT 'PUSH, POLL, CS, SYSTEM',
          old_status VARCHAR(16) NULL,
          new_status VARCHAR(16) NOT NULL,
          old_balance INT NULL,
          new_balance INT NULL,
          supplier_status CHAR(3) NULL COMMENT 'STATUS as COUFUN reported it (000/001/100), raw',
          flagged TINYINT(1) NOT NULL DEFAULT 0 COMMENT 'contradicted our record',
          note VARCHAR(200) NULL,
          occurred_at DATETIME(6) NOT NULL,
          KEY ix_coupon_status_history_coupon (coupon_id, id),
          KEY ix_coupon_status_history_time (occurred_at)
        ) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci
        """);

    public override void Down() => Execute.Sql("DROP TABLE IF EXISTS coupon_status_history");
}
