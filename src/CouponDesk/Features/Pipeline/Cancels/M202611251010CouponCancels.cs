using FluentMigrator;

namespace CouponDesk.Features.Pipeline.Cancels;

/// <summary>
/// One row per coupon we must cancel at COUFUN (spec §4.1 C13, §5.8 "Cancel follow-up"): its state, how many calls were
/// made, when the next is due and what COUFUN last said. PENDING/RETRY rows are worked by any worker (claimed with a
/// lease); DONE = cancelled (or "already cancelled"); REFUSED = COUFUN said it cannot be cancelled (used, expired);
/// GAVE_UP = still failing after the follow-up window — listed for an ADMIN, alerted, and no longer blocking the campaign.
/// </summary>
[Migration(202611251010, "Coupon cancels")]
public sealed class M202611251010CouponCancels : Migration
{
    public override void Up() => Execute.Sql("""
        CREATE TABLE IF NOT EXISTS coupon_cancels (
          coupon_id BIGINT NOT NULL PRIMARY KEY,
          campaign_id BIGINT NULL,
          item_id BIGINT NULL,
          source VARCHAR(16) NOT NULL COMMENT 'CAMPAIGN_CANCEL, PARTIAL_CANCEL, CS',
          state VARCHAR(10) NOT NULL COMMENT 'PENDING, RETRY, DONE, REFUSED, GAVE_UP',
          attempts INT NOT NULL DEFAULT 0,
          next_attempt_at DATETIME(6) NOT NULL,
          lease_token CHAR(32) NULL,
          lease_until DATETIME(6) NULL,
          last_code VARCHAR(10) NULL,
          last_error VARCHAR(300) NULL,
          created_at DATETIME(6) NOT NULL,
          first_attempt_at DATETIME(6) NULL,
          last_attempt_at DATETIME(6) NULL,
          finished_at DATETIME(6) NULL,
          updated_at DATETIME(6) NOT NULL,
          KEY ix_coupon_cancels_due (state, next_attempt_at),
          KEY ix_coupon_cancels_campaign (campaign_id, state)
        ) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci
        """);

    public override void Down() => Execute.Sql("DROP TABLE IF EXISTS coupon_cancels");
}
