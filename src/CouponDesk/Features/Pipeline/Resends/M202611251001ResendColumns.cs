using FluentMigrator;

namespace CouponDesk.Features.Pipeline.Resends;

/// <summary>
/// What a delivery item needs for resends (spec §4.2, spec D9): the operator-initiated resend count (≤ 3; automatic resends
/// do not count), the automatic resends used (≤ 2), and a due resend — its kind and time. An item with a due resend is
/// not final, so its campaign does not finish (C14) until the resend has been queued or dropped.
/// </summary>
[Migration(202611251001, "Delivery item resend columns")]
public sealed class M202611251001ResendColumns : Migration
{
    public override void Up()
    {
        Execute.Sql("ALTER TABLE delivery_items ADD COLUMN IF NOT EXISTS resend_count INT NOT NULL DEFAULT 0 COMMENT 'BULK_RETRY and CS_RESEND messages (limit 3)'");
        Execute.Sql("ALTER TABLE delivery_items ADD COLUMN IF NOT EXISTS auto_resends INT NOT NULL DEFAULT 0 COMMENT 'AUTO_RETRY messages (limit 2)'");
        Execute.Sql("ALTER TABLE delivery_items ADD COLUMN IF NOT EXISTS resend_kind VARCHAR(24) NULL COMMENT 'AUTO_RETRY or BULK_RETRY while a resend is due'");
        Execute.Sql("ALTER TABLE delivery_items ADD COLUMN IF NOT EXISTS resend_due_at DATETIME(6) NULL COMMENT 'UTC; not null = a resend is due, the item is not final'");
        Execute.Sql("CREATE INDEX IF NOT EXISTS ix_delivery_items_resend_due ON delivery_items (resend_due_at)");
    }

    public override void Down()
    {
        Execute.Sql("DROP INDEX IF EXISTS ix_delivery_items_resend_due ON delivery_items");
        Execute.Sql("ALTER TABLE delivery_items DROP COLUMN IF EXISTS resend_due_at");
        Execute.Sql("ALTER TABLE delivery_items DROP COLUMN IF EXISTS resend_kind");
        Execute.Sql("ALTER TABLE delivery_items DROP COLUMN IF EXISTS auto_resends");
        Execute.Sql("ALTER TABLE delivery_items DROP COLUMN IF EXISTS resend_count");
    }
}
