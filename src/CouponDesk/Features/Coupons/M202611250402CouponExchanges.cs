using FluentMigrator;

namespace CouponDesk.Features.Coupons;

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
