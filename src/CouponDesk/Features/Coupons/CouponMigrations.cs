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

/// <summary>One row per distinct exchange event (key: coupon, EXCHANGE_NUM, STATUS, EXCHANGE_DATE): the push's idempotency.</summary>
[Migration(202611250402, "Coupon exchanges")]
public sealed class M202611250402CouponExchanges : Migration
{
    public override void Up() => Execute.Sql("""
        CREATE TABLE IF NOT EXISTS coupon_exchanges (
          id BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY,
          coupon_id BIGINT NOT NULL,
          exchange_num VARCHAR(30) NOT NULL,
          status CHAR(3) NOT NULL,
          exchange_date_kst CHAR(14) NOT NULL COMMENT 'EXCHANGE_DATE as sent (KST)',
          exchanged_at DATETIME(6) NOT NULL COMMENT 'the same instant in UTC',
          branch_name VARCHAR(100) NULL,
          branch_code VARCHAR(20) NULL,
          barcode_type VARCHAR(10) NULL,
          price INT NULL,
          balance INT NULL,
          applied TINYINT(1) NOT NULL COMMENT '0 when an older event arrived after a newer one',
          received_at DATETIME(6) NOT NULL,
          UNIQUE KEY ux_coupon_exchanges_event (coupon_id, exchange_num, status, exchange_date_kst),
          CONSTRAINT fk_coupon_exchanges_coupon FOREIGN KEY (coupon_id) REFERENCES coupons (id)
        ) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci
        """);

    public override void Down() => Execute.Sql("DROP TABLE IF EXISTS coupon_exchanges");
}

/// <summary>Every push request and the reply we sent (the manual requires a reply log), masked.</summary>
[Migration(202611250403, "Coupon exchange push log")]
public sealed class M202611250403CouponExchangePushes : Migration
{
    public override void Up() => Execute.Sql("""
        CREATE TABLE IF NOT EXISTS coupon_exchange_pushes (
          id BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY,
          received_at DATETIME(6) NOT NULL,
          remote_address VARCHAR(45) NULL,
          content_type VARCHAR(100) NULL,
          body_masked VARCHAR(4000) NULL COMMENT 'request as received, coupon numbers masked, truncated',
          body_bytes INT NOT NULL,
          coupon_number_masked VARCHAR(40) NULL,
          coupon_number_index BINARY(32) NULL,
          coupon_id BIGINT NULL,
          exchange_id BIGINT NULL,
          reply_code CHAR(2) NOT NULL,
          reply_body VARCHAR(500) NOT NULL,
          note VARCHAR(300) NULL,
          KEY ix_pushes_received (received_at),
          KEY ix_pushes_coupon (coupon_id)
        ) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci
        """);

    public override void Down() => Execute.Sql("DROP TABLE IF EXISTS coupon_exchange_pushes");
}
