using FluentMigrator;

namespace CouponDesk.Features.Reconciliation;

/// <summary>
/// The coupon numbers an ADMIN typed in when settling an in-doubt order as issued (spec §3.10), one row per number, with
/// the outcome of its cancel at COUFUN. The number is stored encrypted with a blind index (so the same number can never be
/// entered twice, and a retry can call COUFUN again) and its last four digits for masked display.
/// </summary>
[Migration(202611251101, "In-doubt order cancels")]
public sealed class M202611251101InDoubtCancels : Migration
{
    public override void Up() => Execute.Sql("""
        CREATE TABLE IF NOT EXISTS in_doubt_cancels (
          id BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY,
          order_id BIGINT NOT NULL COMMENT 'issuance_orders.id',
          coupon_number_enc VARBINARY(200) NULL COMMENT 'PiiProtector.Encrypt(BARCODE_NUM); NULL once purged',
          coupon_number_index BINARY(32) NULL COMMENT 'PiiProtector.BlindIndex("coupon", BARCODE_NUM); NULL once purged',
          coupon_number_last4 VARCHAR(4) NOT NULL,
          status VARCHAR(12) NOT NULL COMMENT 'PENDING, DONE, FAILED (retryable), REFUSED (final answer, e.g. used)',
          result_code VARCHAR(4) NULL,
          result_message VARCHAR(200) NULL,
          attempts INT NOT NULL DEFAULT 0,
          created_at DATETIME(6) NOT NULL,
          updated_at DATETIME(6) NOT NULL,
          UNIQUE KEY ux_in_doubt_cancels_number (coupon_number_index),
          KEY ix_in_doubt_cancels_order (order_id),
          KEY ix_in_doubt_cancels_status (status)
        ) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci
        """);

    public override void Down() => Execute.Sql("DROP TABLE IF EXISTS in_doubt_cancels");
}
