using FluentMigrator;

namespace CouponDesk.Features.Reconciliation;

/// <summary>
/// What a person did with a coupon cancel that needed one (공급사 취소 실패, D-RECON-5): who settled it with the supplier
/// by other means, when and why (state DONE), and how many times an ADMIN put a given-up cancel back to retry.
/// </summary>
[Migration(202611251701, "Coupon cancel resolution")]
public sealed class M202611251701CouponCancelResolution : Migration
{
    public override void Up() => Execute.Sql("""
        ALTER TABLE coupon_cancels
          ADD COLUMN IF NOT EXISTS resolved_by BIGINT NULL COMMENT 'users.id of the ADMIN who settled it by other means',
          ADD COLUMN IF NOT EXISTS resolved_at DATETIME(6) NULL,
          ADD COLUMN IF NOT EXISTS resolved_reason VARCHAR(500) NULL,
          ADD COLUMN IF NOT EXISTS manual_retries INT NOT NULL DEFAULT 0 COMMENT 'times an ADMIN restarted the follow-up window'
        """);

    public override void Down() => Execute.Sql("""
        ALTER TABLE coupon_cancels
          DROP COLUMN IF EXISTS resolved_by,
          DROP COLUMN IF EXISTS resolved_at,
          DROP COLUMN IF EXISTS resolved_reason,
          DROP COLUMN IF EXISTS manual_retries
        """);
}
