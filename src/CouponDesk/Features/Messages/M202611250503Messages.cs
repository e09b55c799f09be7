using FluentMigrator;

namespace CouponDesk.Features.Messages;

/// <summary>
/// One row per send attempt (spec §4.5): its CLIENT_KEY in the agent's table, state, the agent's result, and links to
/// the campaign, delivery item and coupon that the pipeline fills. Ids are allocated from <c>id_blocks</c> outside the
/// caller's transaction, so an id (and the CLIENT_KEY derived from it) is never reused, not even after a rollback.
/// </summary>
[Migration(202611250503, "Messages")]
public sealed class M202611250503Messages : Migration
{
    public override void Up()
    {
        Execute.Sql("""
            CREATE TABLE IF NOT EXISTS messages (
              id BIGINT NOT NULL PRIMARY KEY,
              client_key VARCHAR(30) NOT NULL,
              campaign_id BIGINT NULL,
              recipient_id BIGINT NULL,
              coupon_id BIGINT NULL,
              attempt_no INT NOT NULL,
              message_type VARCHAR(24) NOT NULL,
              phone_enc VARBINARY(255) NOT NULL,
              callback_number VARCHAR(11) NOT NULL,
              req_at DATETIME(6) NOT NULL COMMENT 'UTC instant of REQ_DATE',
              reserved TINYINT(1) NOT NULL,
              status VARCHAR(16) NOT NULL,
              outcome VARCHAR(24) NULL COMMENT 'SUCCESS, FAILURE, RESEND_RECOMMENDED, TIMEOUT',
              sent_at DATETIME(6) NULL,
              done_at DATETIME(6) NULL,
              done_code VARCHAR(10) NULL,
              done_code_desc VARCHAR(200) NULL,
              done_telco VARCHAR(10) NULL,
              done_product VARCHAR(10) NULL,
              image_files VARCHAR(1000) NULL COMMENT 'staged image paths on our side, comma-separated',
              images_purged_at DATETIME(6) NULL,
              result_at DATETIME(6) NULL,
              created_at DATETIME(6) NOT NULL,
              updated_at DATETIME(6) NOT NULL,
              UNIQUE KEY ux_messages_client_key (client_key),
              KEY ix_messages_status (status, id),
              KEY ix_messages_recipient (recipient_id),
              KEY ix_messages_campaign (campaign_id, status)
            ) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci
            """);
    }

    public override void Down() => Execute.Sql("DROP TABLE IF EXISTS messages");
}
