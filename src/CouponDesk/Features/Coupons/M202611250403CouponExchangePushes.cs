using FluentMigrator;

namespace CouponDesk.Features.Coupons;

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
