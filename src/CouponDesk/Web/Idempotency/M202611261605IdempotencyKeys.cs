using FluentMigrator;

namespace CouponDesk.Web.Idempotency;

/// <summary>
/// One row per state-changing request a signed-in user sent with an <c>Idempotency-Key</c> (spec §3.0 "double
/// submission"): the request's fingerprint, whether it is still running, and the answer to replay to a retry. Kept a day.
/// </summary>
[Migration(202611261605, "Idempotency keys")]
public sealed class M202611261605IdempotencyKeys : Migration
{
    public override void Up() => Execute.Sql("""
        CREATE TABLE IF NOT EXISTS idempotency_keys (
          user_id BIGINT NOT NULL,
          idem_key VARCHAR(100) NOT NULL,
          request_hash BINARY(32) NOT NULL COMMENT 'SHA-256 of method, path, query and body',
          method VARCHAR(8) NOT NULL,
          path VARCHAR(300) NOT NULL,
          state VARCHAR(12) NOT NULL COMMENT 'IN_PROGRESS or DONE',
          status_code INT NULL,
          content_type VARCHAR(100) NULL,
          body MEDIUMBLOB NULL COMMENT 'the answer, when small enough to replay',
          created_at DATETIME(6) NOT NULL,
          completed_at DATETIME(6) NULL,
          PRIMARY KEY (user_id, idem_key),
          KEY ix_idempotency_keys_created (created_at)
        ) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci
        """);

    public override void Down() => Execute.Sql("DROP TABLE IF EXISTS idempotency_keys");
}
