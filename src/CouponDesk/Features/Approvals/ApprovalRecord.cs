namespace CouponDesk.Features.Approvals;

/// <summary>One <c>approval_requests</c> row as the workflow reads it (Dapper maps the columns of <see cref="Columns"/>).</summary>
public record ApprovalRecord
{
    /// <summary>The columns of this record, <c>a</c> being <c>approval_requests</c>.</summary>
    public const string Columns = """
        a.id AS Id, a.kind AS Kind, a.target_id AS TargetId, a.campaign_id AS CampaignId, a.item_id AS ItemId, a.status AS Status,
        a.requested_by AS RequestedBy, a.created_at AS CreatedAt, a.expires_at AS ExpiresAt, a.target_label AS TargetLabel, a.summary AS Summary,
        a.params_enc AS ParamsEnc, a.memo_enc AS MemoEnc, a.decided_by AS DecidedBy, a.decided_at AS DecidedAt,
        a.decision_reason AS DecisionReason, a.result_message AS ResultMessage, a.executed_at AS ExecutedAt
        """;

    public long Id { get; init; }

    public string Kind { get; init; } = "";

    public long TargetId { get; init; }

    public long? CampaignId { get; init; }

    public long? ItemId { get; init; }

    public string Status { get; init; } = "";

    public long? RequestedBy { get; init; }

    public DateTime CreatedAt { get; init; }

    public DateTime ExpiresAt { get; init; }

    public string? TargetLabel { get; init; }

    public string? Summary { get; init; }

    public byte[]? ParamsEnc { get; init; }

    public byte[]? MemoEnc { get; init; }

    public long? DecidedBy { get; init; }

    public DateTime? DecidedAt { get; init; }

    public string? DecisionReason { get; init; }

    public string? ResultMessage { get; init; }

    public DateTime? ExecutedAt { get; init; }
}
