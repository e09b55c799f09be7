using FluentMigrator;

namespace CouponDesk.Security.Pii;

/// <summary>
/// The rotation's cursor gets a second part for tables keyed by two columns (<c>recipient_list_rows (list_id, seq)</c>),
/// whose values are bound to both parts (D-SEC-12).
/// </summary>
[Migration(202612072020, "Key rotation cursor for two-part keys")]
public sealed class M202612072020KeyRotationTwoPartCursor : Migration
{
    public override void Up() =>
        Execute.Sql("ALTER TABLE key_rotation_progress ADD COLUMN IF NOT EXISTS last_seq BIGINT NOT NULL DEFAULT 0 AFTER last_id");

    public override void Down() =>
        Execute.Sql("ALTER TABLE key_rotation_progress DROP COLUMN IF EXISTS last_seq");
}
