using FluentMigrator;

namespace CouponDesk.Features.Audit;

/// <summary>
/// The append-only audit trail (spec §3.7). Each row's <c>row_hash</c> = HMAC(key, prev_hash ‖ fields), so an edited,
/// removed or inserted row breaks the chain. Times are UTC; screens show KST.
/// </summary>
[Migration(202611250305, "Audit log")]
public sealed class M202611250305AuditLog : Migration
{
    public override void Up() => Execute.Sql("""
        CREATE TABLE IF NOT EXISTS audit_log (
          id BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY,
          occurred_at DATETIME(6) NOT NULL,
          actor_user_id BIGINT NULL,
          actor_login VARCHAR(64) NULL,
          source_ip VARCHAR(45) NULL,
          user_agent VARCHAR(256) NULL,
          correlation_id VARCHAR(64) NULL,
          action VARCHAR(64) NOT NULL,
          target_type VARCHAR(32) NULL,
          target_id VARCHAR(64) NULL,
          subject VARCHAR(128) NULL,
          outcome VARCHAR(16) NOT NULL,
          reason VARCHAR(256) NULL,
          details TEXT NULL,
          prev_hash BINARY(32) NOT NULL,
          row_hash BINARY(32) NOT NULL,
          KEY ix_audit_time (occurred_at),
          KEY ix_audit_actor (actor_login, occurred_at),
          KEY ix_audit_action (action, occurred_at),
          KEY ix_audit_ip (source_ip, occurred_at),
          KEY ix_audit_subject (subject, occurred_at),
          KEY ix_audit_target (target_type, target_id)
        ) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci
        """);

    public override void Down() => Execute.Sql("DROP TABLE IF EXISTS audit_log");
}
