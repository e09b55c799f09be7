using FluentMigrator;

namespace CouponDesk.Features.Campaigns.Products;

/// <summary>
/// MERGE NOTE (issue 7 placeholder): the product catalog belongs to the COUFUN issue (4). Until it lands this creates
/// only the columns campaign registration reads (names after the COUFUN product fields), IF NOT EXISTS; reconcile the
/// table and <see cref="TableProductCatalog"/> at merge.
/// </summary>
[Migration(202611250705, "Products (issue 7 placeholder)")]
public sealed class M202611250705ProductsForIssue7 : Migration
{
    public override void Up()
    {
        Execute.Sql("""
            CREATE TABLE IF NOT EXISTS products (
              goods_id VARCHAR(10) NOT NULL PRIMARY KEY,
              goods_name VARCHAR(150) NOT NULL,
              exc_branch VARCHAR(50) NULL,
              goods_price INT NULL,
              goods_ori_price INT NULL,
              valid_end_type CHAR(1) NULL,
              valid_end_date VARCHAR(8) NULL,
              coupon_type VARCHAR(10) NULL,
              image_path_b VARCHAR(300) NULL,
              status VARCHAR(16) NOT NULL COMMENT 'ON_SALE or DISCONTINUED',
              updated_at DATETIME(6) NOT NULL
            ) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci
            """);
    }

    public override void Down() => Execute.Sql("DROP TABLE IF EXISTS products");
}
