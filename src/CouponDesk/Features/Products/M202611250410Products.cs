using FluentMigrator;

namespace CouponDesk.Features.Products;

/// <summary>The local copy of COUFUN's catalog (spec §3.5). Products are never deleted: campaigns refer to them.</summary>
[Migration(202611250410, "Products")]
public sealed class M202611250410Products : Migration
{
    public override void Up() => Execute.Sql("""
        CREATE TABLE IF NOT EXISTS products (
          goods_id VARCHAR(10) NOT NULL PRIMARY KEY COMMENT 'COUFUN GOODS_ID, an opaque string',
          cat_id VARCHAR(10) NULL,
          name VARCHAR(200) NULL,
          ori_price INT NULL COMMENT 'GOODS_ORI_PRICE, face price KRW',
          price INT NULL COMMENT 'GOODS_PRICE, supply price KRW',
          goods_info TEXT NULL,
          use_guide TEXT NULL,
          exc_branch VARCHAR(100) NULL,
          valid_end_type CHAR(1) NULL COMMENT 'D = days from sending, E = fixed date',
          valid_end_value VARCHAR(8) NULL,
          send_type CHAR(1) NULL,
          image_s_url VARCHAR(300) NULL, image_s_w INT NULL, image_s_h INT NULL,
          image_m_url VARCHAR(300) NULL, image_m_w INT NULL, image_m_h INT NULL,
          image_b_url VARCHAR(300) NULL, image_b_w INT NULL, image_b_h INT NULL,
          status VARCHAR(16) NOT NULL COMMENT 'ON_SALE or DISCONTINUED',
          first_seen_at DATETIME(6) NOT NULL,
          changed_at DATETIME(6) NOT NULL COMMENT 'last change of a tracked field',
          synced_at DATETIME(6) NOT NULL COMMENT 'last sync that listed it',
          KEY ix_products_status (status),
          KEY ix_products_name (name),
          KEY ix_products_branch (exc_branch),
          KEY ix_products_price (price)
        ) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci
        """);

    public override void Down() => Execute.Sql("DROP TABLE IF EXISTS products");
}
