using FluentMigrator;

namespace CouponDesk.Features.Privacy;

/// <summary>When a campaign's send and coupon records were de-identified (spec §7.5, 2 years): each campaign once.</summary>
[Migration(202612071813, "Campaigns remember their de-identification")]
public sealed class M202612071813CampaignDeidentified : Migration
{
    public override void Up() => Execute.Sql("ALTER TABLE campaigns ADD COLUMN IF NOT EXISTS deidentified_at DATETIME(6) NULL COMMENT 'business records de-identified (spec §7.5, 2 years)'");

    public override void Down() => Execute.Sql("ALTER TABLE campaigns DROP COLUMN IF EXISTS deidentified_at");
}
