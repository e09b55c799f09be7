using FluentMigrator;

namespace CouponDesk.Features.CustomerService;

/// <summary>
/// 번호변경 history (spec D13/D14, §3.4.1): the number before and after, encrypted with blind indexes, so a search by a
/// phone also finds items whose number was changed away from it and the items that replaced them.
/// </summary>
[Migration(202611261603, "Phone changes")]
public sealed class M202611261603PhoneChanges : Migration
{
    public override void Up() => Execute.Sql("""
        CREATE TABLE IF NOT EXISTS phone_changes (
          id BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY,
          campaign_id BIGINT NOT NULL,
          item_id BIGINT NOT NULL COMMENT 'the item whose number changed (D14) or that was replaced (D13)',
          new_item_id BIGINT NULL COMMENT 'the replacing item (D13); NULL when the number changed in place (D14)',
          kind VARCHAR(12) NOT NULL COMMENT 'BEFORE_SEND (D14) or AFTER_SEND (D13)',
          old_phone_enc VARBINARY(64) NULL,
          old_phone_bidx BINARY(32) NULL,
          new_phone_enc VARBINARY(64) NULL,
          new_phone_bidx BINARY(32) NULL,
          cs_action_id BIGINT NULL,
          created_at DATETIME(6) NOT NULL,
          KEY ix_phone_changes_old (old_phone_bidx),
          KEY ix_phone_changes_item (item_id),
          KEY ix_phone_changes_new_item (new_item_id)
        ) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci
        """);

    public override void Down() => Execute.Sql("DROP TABLE IF EXISTS phone_changes");
}
