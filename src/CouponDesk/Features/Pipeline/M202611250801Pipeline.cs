using FluentMigrator;

namespace CouponDesk.Features.Pipeline;

/// <summary>
/// The campaign pipeline's own tables (spec §4.2, §4.4): one delivery item per accepted recipient, one issuance order
/// per COUFUN create call (its TR_ID and items stored before the call), and one run row per started campaign.
/// Work is claimed from these tables with <c>FOR UPDATE SKIP LOCKED</c> and a lease (token + expiry), so a killed worker's
/// claims simply expire. Times are UTC.
/// </summary>
[Migration(202611250801, "Campaign pipeline")]
public sealed class M202611250801Pipeline : Migration
{
    public override void Up()
    {
        Execute.Sql("""
            CREATE TABLE IF NOT EXISTS delivery_items (
              id BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY,
              campaign_id BIGINT NOT NULL,
              list_id BIGINT NOT NULL,
              seq INT NOT NULL COMMENT 'recipient_list_rows.seq',
              status VARCHAR(16) NOT NULL,
              issue_attempts INT NOT NULL DEFAULT 0 COMMENT 'orders this item was put in',
              render_attempts INT NOT NULL DEFAULT 0,
              order_id BIGINT NULL COMMENT 'current issuance order',
              coupon_id BIGINT NULL,
              message_id BIGINT NULL COMMENT 'current message',
              ever_delivered TINYINT(1) NOT NULL DEFAULT 0,
              failure_code VARCHAR(20) NULL,
              failure_reason VARCHAR(200) NULL,
              lease_token CHAR(32) NULL,
              lease_until DATETIME(6) NULL,
              created_at DATETIME(6) NOT NULL,
              updated_at DATETIME(6) NOT NULL,
              UNIQUE KEY ux_delivery_items_recipient (campaign_id, seq),
              KEY ix_delivery_items_status (campaign_id, status, id),
              KEY ix_delivery_items_order (order_id)
            ) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci
            """);
        Execute.Sql("""
            CREATE TABLE IF NOT EXISTS issuance_orders (
              id BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY,
              campaign_id BIGINT NOT NULL,
              tr_id VARCHAR(50) NULL,
              goods_id VARCHAR(10) NOT NULL,
              create_cnt INT NOT NULL,
              unit_price INT NOT NULL DEFAULT 0 COMMENT 'list price per coupon, for the report and the spending guard',
              status VARCHAR(20) NOT NULL COMMENT 'PLANNED, REQUESTED, RETRY_WAIT, SUCCEEDED, FAILED, IN_DOUBT, SETTLED_NOT_ISSUED, SETTLED_ISSUED',
              calls INT NOT NULL DEFAULT 0,
              transient_failures INT NOT NULL DEFAULT 0,
              answer_lost TINYINT(1) NOT NULL DEFAULT 0 COMMENT 'an earlier call of this TR_ID may have reached COUFUN',
              next_attempt_at DATETIME(6) NOT NULL,
              lease_token CHAR(32) NULL,
              lease_until DATETIME(6) NULL,
              result_code VARCHAR(4) NULL,
              failure VARCHAR(300) NULL,
              coufun_order_id VARCHAR(50) NULL,
              needs_review VARCHAR(200) NULL,
              created_at DATETIME(6) NOT NULL,
              requested_at DATETIME(6) NULL,
              finished_at DATETIME(6) NULL,
              updated_at DATETIME(6) NOT NULL,
              settled_by BIGINT NULL,
              settled_at DATETIME(6) NULL,
              settle_memo VARCHAR(500) NULL,
              UNIQUE KEY ux_issuance_orders_tr_id (tr_id),
              KEY ix_issuance_orders_work (status, next_attempt_at),
              KEY ix_issuance_orders_campaign (campaign_id, status)
            ) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci
            """);
        Execute.Sql("""
            CREATE TABLE IF NOT EXISTS issuance_order_items (
              order_id BIGINT NOT NULL,
              item_id BIGINT NOT NULL,
              PRIMARY KEY (order_id, item_id),
              KEY ix_issuance_order_items_item (item_id)
            ) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci
            """);
        Execute.Sql("""
            CREATE TABLE IF NOT EXISTS campaign_runs (
              campaign_id BIGINT NOT NULL PRIMARY KEY,
              item_count INT NOT NULL,
              started_at DATETIME(6) NOT NULL,
              all_queued_at DATETIME(6) NULL,
              finished_at DATETIME(6) NULL,
              paused_from VARCHAR(20) NULL,
              stop_code VARCHAR(20) NULL,
              stop_reason VARCHAR(300) NULL,
              consecutive_failed_calls INT NOT NULL DEFAULT 0,
              updated_at DATETIME(6) NOT NULL
            ) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci
            """);
    }

    public override void Down()
    {
        Execute.Sql("DROP TABLE IF EXISTS campaign_runs");
        Execute.Sql("DROP TABLE IF EXISTS issuance_order_items");
        Execute.Sql("DROP TABLE IF EXISTS issuance_orders");
        Execute.Sql("DROP TABLE IF EXISTS delivery_items");
    }
}
