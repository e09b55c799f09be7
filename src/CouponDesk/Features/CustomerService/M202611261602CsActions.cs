using FluentMigrator;

namespace CouponDesk.Features.CustomerService;

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
