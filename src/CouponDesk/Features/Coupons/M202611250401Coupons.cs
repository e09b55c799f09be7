using FluentMigrator;

namespace CouponDesk.Features.Coupons;

/// <summary>
/// The shared record of a purchased coupon (spec §4.3). The number is stored encrypted with a keyed blind index for
/// lookup (the push receiver and C/S find coupons through it) and its last four digits for masked display.
/// </summary>
[Migration(202611250401, "Coupons")]
public sealed class M202611250401Coupons : Migration
{
    public override void Up() => Execute.Sql("""
        CREATE TABLE IF NOT EXISTS coupons (
          id BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY,
          coupon_number_enc VARBINARY(200) NOT NULL COMMENT 'PiiProtector.Encrypt(BARCODE_NUM)',
          coupon_number_index BINARY(32) NOT NULL COMMENT 'PiiProtector.BlindIndex("coupon", BARCODE_NUM)',
          coupon_number_last4 VARCHAR(4) NOT NULL COMMENT 'for masked display only',
          key_version INT NOT NULL,
          goods_id VARCHAR(10) NOT NULL,
          coupon_type VARCHAR(10) NOT NULL COMMENT 'BARCODE or AMOUNT',
          status VARCHAR(16) NOT NULL COMMENT 'UNUSED, PARTIALLY_USED, USED, CANCELLED, EXPIRED',
          supplier_status CHAR(3) NULL COMMENT 'last STATUS COUFUN reported (000/001/100), raw',
          face_value INT NOT NULL COMMENT 'GOODS_ORI_PRICE (TOTAL_AMOUNT for AMOUNT coupons), KRW',
          price INT NOT NULL COMMENT 'GOODS_PRICE paid, KRW',
          used_amount INT NOT NULL DEFAULT 0,
          balance INT NOT NULL,
          valid_until DATE NOT NULL COMMENT 'VALID_END_DATE, a KST calendar day, valid through its end',
          stamp_duty VARCHAR(200) NULL,
          tr_id VARCHAR(50) NULL,
          order_id VARCHAR(30) NULL COMMENT 'COUFUN ORDER_ID',
          order_ref BIGINT NULL COMMENT 'our issuance order row',
          last_exchange_at DATETIME(6) NULL COMMENT 'EXCHANGE_DATE of the newest applied push, UTC',
          status_check_due_at DATETIME(6) NULL COMMENT 'a status read is wanted (after a push)',
          status_checked_at DATETIME(6) NULL,
          issued_at DATETIME(6) NOT NULL,
          created_at DATETIME(6) NOT NULL,
          updated_at DATETIME(6) NOT NULL,
          UNIQUE KEY ux_coupons_number_index (coupon_number_index),
          KEY ix_coupons_tr_id (tr_id),
          KEY ix_coupons_order_ref (order_ref),
          KEY ix_coupons_status_valid (status, valid_until),
          KEY ix_coupons_check_due (status_check_due_at)
        ) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci
        """);

    public override void Down() => Execute.Sql("DROP TABLE IF EXISTS coupons");
}
