using FluentMigrator;

namespace CouponDesk.Features.Coupons;

/// <summary>
/// What an ADMIN reviews in a coupon's status history (spec §4.3 rule, issue 17): why a row was flagged — the supplier
/// contradicted our record (applied anyway), or its answer could not be applied (unknown coupon, malformed value) — and
/// who marked it reviewed. One statement: MariaDB DDL is not transactional (design).
/// </summary>
[Migration(202612071701, "Coupon status history review")]
public sealed class M202612071701CouponStatusReview : Migration
{
    public override void Up() => Execute.Sql("""
        ALTER TABLE coupon_status_history
          ADD COLUMN IF NOT EXISTS review VARCHAR(16) NULL COMMENT 'why flagged: CONFLICT, UNREADABLE, NOT_FOUND',
          ADD COLUMN IF NOT EXISTS reviewed_at DATETIME(6) NULL,
          ADD COLUMN IF NOT EXISTS reviewed_by BIGINT NULL,
          ADD KEY IF NOT EXISTS ix_coupon_status_history_review (flagged, reviewed_at, id)
        """);

    public override void Down() => Execute.Sql("""
        ALTER TABLE coupon_status_history DROP KEY IF EXISTS ix_coupon_status_history_review,
          DROP COLUMN IF EXISTS reviewed_by, DROP COLUMN IF EXISTS reviewed_at, DROP COLUMN IF EXISTS review
        """);
}
