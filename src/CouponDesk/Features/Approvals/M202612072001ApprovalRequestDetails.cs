using FluentMigrator;

namespace CouponDesk.Features.Approvals;

/// <summary>
/// The rest of a two-person approval request (spec §1.3, §3.9, §4.7) beyond the starter's minimum: what it is about
/// (campaign, C/S item), its parameters and memo (encrypted, bound to the row — D-SEC-12), who decided and when, the
/// rejection reason and the outcome of the execution. One PENDING request per target at a time is kept by the
/// creating transaction (the item or campaign row is locked), not by a key.
/// </summary>
[Migration(202612072001, "Approval request details")]
public sealed class M202612072001ApprovalRequestDetails : Migration
{
    public override void Up() => Execute.Sql("""
        ALTER TABLE approval_requests
          ADD COLUMN campaign_id BIGINT NULL COMMENT 'the campaign the target belongs to (or is)' AFTER target_id,
          ADD COLUMN item_id BIGINT NULL COMMENT 'delivery_items.id for the C/S kinds' AFTER campaign_id,
          ADD COLUMN params_enc VARBINARY(2048) NULL COMMENT 'PII: the action''s parameters (JSON), bound to the row' AFTER item_id,
          ADD COLUMN memo_enc VARBINARY(2048) NULL COMMENT 'PII: the requester''s memo, bound to the row' AFTER params_enc,
          ADD COLUMN target_label VARCHAR(200) NULL COMMENT 'masked: the campaign, or the masked coupon number' AFTER memo_enc,
          ADD COLUMN summary VARCHAR(200) NULL COMMENT 'masked description for lists (e.g. the new number masked)' AFTER target_label,
          ADD COLUMN decided_by BIGINT NULL COMMENT 'approver, rejecter or withdrawing requester' AFTER requested_by,
          ADD COLUMN decided_at DATETIME(6) NULL COMMENT 'UTC' AFTER decided_by,
          ADD COLUMN decision_reason VARCHAR(200) NULL COMMENT 'why it was rejected' AFTER decided_at,
          ADD COLUMN result_message VARCHAR(300) NULL COMMENT 'what the execution answered (Korean), or why it failed' AFTER decision_reason,
          ADD COLUMN executed_at DATETIME(6) NULL COMMENT 'UTC' AFTER result_message,
          ADD KEY ix_approval_requests_status (status, expires_at),
          ADD KEY ix_approval_requests_item (item_id, status)
        """);

    public override void Down() => Execute.Sql("""
        ALTER TABLE approval_requests
          DROP KEY ix_approval_requests_status, DROP KEY ix_approval_requests_item,
          DROP COLUMN campaign_id, DROP COLUMN item_id, DROP COLUMN params_enc, DROP COLUMN memo_enc, DROP COLUMN target_label, DROP COLUMN summary,
          DROP COLUMN decided_by, DROP COLUMN decided_at, DROP COLUMN decision_reason, DROP COLUMN result_message, DROP COLUMN executed_at
        """);
}
