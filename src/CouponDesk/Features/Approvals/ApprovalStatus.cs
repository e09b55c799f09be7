using CouponDesk.Data.States;

namespace CouponDesk.Features.Approvals;

/// <summary>
/// Approval request states and their allowed transitions (spec §4.7, which numbers none: the ids A1…A6 are ours). The one
/// place these values are spelled; every status change is written by <see cref="ApprovalTransitions"/>.
/// </summary>
public static class ApprovalStatus
{
    public const string Pending = "PENDING";
    public const string Approved = "APPROVED";
    public const string Rejected = "REJECTED";
    public const string Expired = "EXPIRED";
    public const string Withdrawn = "WITHDRAWN";
    public const string Executed = "EXECUTED";
    public const string ExecutionFailed = "EXECUTION_FAILED";

    public static StateMachine Machine { get; } = new("approval request",
        [Pending, Approved, Rejected, Expired, Withdrawn, Executed, ExecutionFailed],
        [
            new("A1", StateMachine.New, Pending, "spec §4.7 starts at PENDING: a request is created by a covered action while its switch is on"),
            new("A2", Pending, Approved, "spec §4.7 PENDING → APPROVED (approver)"),
            new("A3", [Approved], [Executed, ExecutionFailed], "spec §4.7 APPROVED → EXECUTED | EXECUTION_FAILED (system, after re-checking)"),
            new("A4", Pending, Rejected, "spec §4.7 PENDING → REJECTED (approver)"),
            new("A5", Pending, Expired, "spec §4.7 PENDING → EXPIRED (expiry job, 24 h)"),
            new("A6", Pending, Withdrawn, "spec §4.7 PENDING → WITHDRAWN (requester)"),
        ]);

    /// <summary>The states a request ends in (처리됨 tab).</summary>
    public static readonly string[] Handled = [Rejected, Expired, Withdrawn, Executed, ExecutionFailed];

    public static string Label(string status) => status switch
    {
        Pending => "승인 대기",
        Approved => "승인 (처리 중)",
        Rejected => "반려",
        Expired => "만료",
        Withdrawn => "요청 취소",
        Executed => "승인·처리 완료",
        ExecutionFailed => "승인·처리 실패",
        _ => status,
    };
}
