using FluentMigrator;

namespace CouponDesk.Features.Products;

/// <summary>Change history of price, name, validity and status per product.</summary>
[Migration(202611250412, "Product changes")]
public sealed class M202611250412ProductChanges : Migration
{
    public override void Up() => Execute.Sql("""
        CREATE TABLE IF NOT EXISTS product_changes (
          id BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY,
          goods_id VARCHAR(10) NOT NULL,
          sync_run_id BIGINT NOT NULL,
          field VARCHAR(32) NOT NULL,
          old_value VARCHAR(300) NULL,
          new_value VARCHAR(300) NULL,
          changed_at DATETIME(6) NOT NULL,
          KEY ix_product_changes_goods (goods_id, changed_at)
        ) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci
        """);

    public override void Down() => Execute.Sql("DROP TABLE IF EXISTS product_changes");
}
