using FluentMigrator;

namespace CouponDesk.Features.CampaignDetail;

/// <summary>
/// The recipient table (and C/S) search a coupon by its last 4 characters. <c>coupons.coupon_number_last4</c> already
/// holds them for masked display (they are shown on every screen, so they are not secret); this index makes the lookup
/// exact and cheap instead of a scan (decision D-DETAIL-2).
/// </summary>
[Migration(202611251401, "Index on the coupon number's last 4 characters")]
public sealed class M202611251401CouponLast4Index : Migration
{
    public override void Up() => Execute.Sql("CREATE INDEX IF NOT EXISTS ix_coupons_last4 ON coupons (coupon_number_last4)");

    public override void Down() => Execute.Sql("DROP INDEX IF EXISTS ix_coupons_last4 ON coupons");
}
