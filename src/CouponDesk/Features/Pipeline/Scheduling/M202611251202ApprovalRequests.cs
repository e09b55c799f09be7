using FluentMigrator;

namespace CouponDesk.Features.Pipeline.Scheduling;

/// <summary>
/// The minimum of the two-person approval requests (spec §1.3) the campaign starter must see: a pending or expired
/// campaign-cancel request holds or stops a scheduled campaign (§1.3 item 6, §4.1 C5). The two-person approval feature
/// owns this table and may add columns (parameters, memo, decisions); the starter reads only the columns below.
/// </summary>
[Migration(202611251202, "Approval requests (minimum for the campaign starter)")]
public sealed class M202611251202ApprovalRequests : Migration
{
    public override void Up() => Execute.Sql("""
        CREATE TABLE IF NOT EXISTS approval_requests (
          id BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY,
          kind VARCHAR(30) NOT NULL COMMENT 'e.g. CAMPAIGN_CANCEL',
          target_id BIGINT NOT NULL COMMENT 'campaigns.id for CAMPAIGN_CANCEL',
          status VARCHAR(20) NOT NULL COMMENT 'PENDING, APPROVED, REJECTED, EXPIRED, WITHDRAWN, EXECUTED, EXECUTION_FAILED',
          requested_by BIGINT NULL,
          created_at DATETIME(6) NOT NULL,
          expires_at DATETIME(6) NOT NULL COMMENT 'UTC; a PENDING request past it counts as expired',
          updated_at DATETIME(6) NOT NULL,
          KEY ix_approval_requests_target (kind, target_id, id)
        ) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci
        """);

    public override void Down() => Execute.Sql("DROP TABLE IF EXISTS approval_requests");
}
