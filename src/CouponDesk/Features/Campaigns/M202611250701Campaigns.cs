using FluentMigrator;

namespace CouponDesk.Features.Campaigns;

/// <summary>
/// Campaigns (발송 건, spec §3.2.1 and §4.1). Personal fields of the requester are encrypted (spec §7.1); the product is
/// snapshotted into the campaign so later catalog changes do not alter a scheduled send. Times are UTC.
/// </summary>
[Migration(202611250701, "Campaigns")]
public sealed class M202611250701Campaigns : Migration
{
    public override void Up()
    {
        Execute.Sql("""
            CREATE TABLE IF NOT EXISTS campaigns (
              id BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY,
              campaign_no VARCHAR(20) NULL,
              status VARCHAR(20) NOT NULL,
              client_name VARCHAR(30) NOT NULL,
              sales_manager VARCHAR(30) NULL,
              client_requester_enc VARBINARY(200) NULL,
              requester_phone_enc VARBINARY(100) NULL,
              requester_phone_bidx BINARY(32) NULL,
              requester_email_enc VARBINARY(500) NULL,
              event_name VARCHAR(50) NOT NULL,
              send_mode VARCHAR(10) NULL COMMENT 'NOW = as early as possible, AT = scheduled_at',
              scheduled_at DATETIME(6) NULL COMMENT 'UTC send time (REQ_DATE of every message)',
              night_send_confirmed TINYINT(1) NOT NULL DEFAULT 0,
              start_at DATETIME(6) NULL COMMENT 'UTC time the pipeline starts (send time - lead), set on submit',
              goods_id VARCHAR(10) NULL,
              product_name VARCHAR(150) NULL,
              exchange_place VARCHAR(50) NULL,
              supply_price INT NULL,
              list_price INT NULL,
              validity_type CHAR(1) NULL,
              validity_value VARCHAR(8) NULL,
              coupon_type VARCHAR(10) NULL,
              product_image_ref VARCHAR(300) NULL,
              product_snapshot_at DATETIME(6) NULL,
              sender_number VARCHAR(11) NULL,
              mms_title VARCHAR(100) NULL,
              mms_body TEXT NULL,
              use_banner TINYINT(1) NOT NULL DEFAULT 0,
              banner_id BIGINT NULL,
              recipient_list_id BIGINT NULL,
              recipient_count INT NOT NULL DEFAULT 0,
              cost_estimate BIGINT NULL,
              created_by BIGINT NULL,
              created_at DATETIME(6) NOT NULL,
              updated_by BIGINT NULL,
              updated_at DATETIME(6) NOT NULL,
              submitted_by BIGINT NULL,
              submitted_at DATETIME(6) NULL,
              cancelled_by BIGINT NULL,
              cancelled_at DATETIME(6) NULL,
              cancel_reason VARCHAR(200) NULL,
              deleted_at DATETIME(6) NULL,
              version INT NOT NULL DEFAULT 1,
              UNIQUE KEY ux_campaigns_no (campaign_no),
              KEY ix_campaigns_status_scheduled (status, scheduled_at),
              KEY ix_campaigns_created (created_at)
            ) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci
            """);
    }

    public override void Down() => Execute.Sql("DROP TABLE IF EXISTS campaigns");
}
