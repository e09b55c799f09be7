using FluentMigrator;

namespace CouponDesk.Features.CustomerService;

/// <summary>
/// What C/S needs on the delivery items (spec §3.4, §4.2 D13/D14): a version the page sends back (stale pages get 409),
/// the parent of an item created by 번호변경 and the lineage's change count (≤ 2), and the indexes a search walks from a
/// recipient row or a coupon to its item. Issuance orders remember who asked for them: a C/S order (a replacement
/// coupon) is worked whatever its campaign's state and never stops the campaign.
/// </summary>
[Migration(202611261601, "C/S columns on delivery items and orders")]
public sealed class M202611261601CsItemColumns : Migration
{
    public override void Up()
    {
        Execute.Sql("ALTER TABLE delivery_items ADD COLUMN IF NOT EXISTS version INT NOT NULL DEFAULT 0 COMMENT 'bumped by every person-made change; a stale page gets 409'");
        Execute.Sql("ALTER TABLE delivery_items ADD COLUMN IF NOT EXISTS parent_item_id BIGINT NULL COMMENT '번호변경: the item this one replaced (spec D13)'");
        Execute.Sql("ALTER TABLE delivery_items ADD COLUMN IF NOT EXISTS phone_change_count INT NOT NULL DEFAULT 0 COMMENT '번호변경 of this recipient lineage (limit 2)'");
        Execute.Sql("CREATE INDEX IF NOT EXISTS ix_delivery_items_list_seq ON delivery_items (list_id, seq)");
        Execute.Sql("CREATE INDEX IF NOT EXISTS ix_delivery_items_coupon ON delivery_items (coupon_id)");
        Execute.Sql("CREATE INDEX IF NOT EXISTS ix_delivery_items_parent ON delivery_items (parent_item_id)");
        Execute.Sql("ALTER TABLE issuance_orders ADD COLUMN IF NOT EXISTS origin VARCHAR(10) NOT NULL DEFAULT 'CAMPAIGN' COMMENT 'CAMPAIGN or CS (a 번호변경 replacement)'");
    }

    public override void Down()
    {
        Execute.Sql("ALTER TABLE issuance_orders DROP COLUMN IF EXISTS origin");
        Execute.Sql("DROP INDEX IF EXISTS ix_delivery_items_parent ON delivery_items");
        Execute.Sql("DROP INDEX IF EXISTS ix_delivery_items_coupon ON delivery_items");
        Execute.Sql("DROP INDEX IF EXISTS ix_delivery_items_list_seq ON delivery_items");
        Execute.Sql("ALTER TABLE delivery_items DROP COLUMN IF EXISTS phone_change_count");
        Execute.Sql("ALTER TABLE delivery_items DROP COLUMN IF EXISTS parent_item_id");
        Execute.Sql("ALTER TABLE delivery_items DROP COLUMN IF EXISTS version");
    }
}
