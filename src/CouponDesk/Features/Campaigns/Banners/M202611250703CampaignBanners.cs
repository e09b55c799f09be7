using FluentMigrator;

namespace CouponDesk.Features.Campaigns.Banners;

/// <summary>Banners (spec §3.2.1 field 16), stored re-encoded (no metadata) in the database beside their campaign.</summary>
[Migration(202611250703, "Campaign banners")]
public sealed class M202611250703CampaignBanners : Migration
{
    public override void Up()
    {
        Execute.Sql("""
            CREATE TABLE IF NOT EXISTS campaign_banners (
              id BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY,
              campaign_id BIGINT NOT NULL,
              content MEDIUMBLOB NOT NULL COMMENT 're-encoded JPEG, no metadata',
              width INT NOT NULL,
              height INT NOT NULL,
              byte_size INT NOT NULL,
              sha256 BINARY(32) NOT NULL,
              created_by BIGINT NULL,
              created_at DATETIME(6) NOT NULL,
              KEY ix_campaign_banners_campaign (campaign_id)
            ) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci
            """);
    }

    public override void Down() => Execute.Sql("DROP TABLE IF EXISTS campaign_banners");
}
