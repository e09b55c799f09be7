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

/// <summary>
/// CS 처리 이력 (spec §3.4.2): one row per C/S action on an item — who, when, what, the result (or the refusal's reason),
/// the states before and after, and the memo. Memos are free text that may hold personal data (spec §7.1): encrypted.
/// </summary>
[Migration(202611261602, "C/S actions")]
public sealed class M202611261602CsActions : Migration
{
    public override void Up() => Execute.Sql("""
        CREATE TABLE IF NOT EXISTS cs_actions (
          id BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY,
          item_id BIGINT NOT NULL,
          campaign_id BIGINT NOT NULL,
          coupon_id BIGINT NULL,
          action VARCHAR(16) NOT NULL COMMENT 'RESEND, PHONE_CHANGE, DISCARD, MEMO, REFRESH',
          result VARCHAR(10) NOT NULL COMMENT 'SUCCESS, FAILED, PENDING (a follow-up continues)',
          reason_code VARCHAR(20) NULL COMMENT 'discard reason',
          failure VARCHAR(300) NULL COMMENT 'why it failed, Korean, no personal data',
          before_state VARCHAR(60) NULL,
          after_state VARCHAR(60) NULL,
          memo_enc VARBINARY(2200) NULL COMMENT 'PiiProtector.Encrypt(memo)',
          actor_user_id BIGINT NULL,
          actor_login VARCHAR(64) NULL,
          approver_login VARCHAR(64) NULL,
          created_at DATETIME(6) NOT NULL,
          KEY ix_cs_actions_item (item_id, id),
          KEY ix_cs_actions_coupon (coupon_id, action, created_at)
        ) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci
        """);

    public override void Down() => Execute.Sql("DROP TABLE IF EXISTS cs_actions");
}

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
