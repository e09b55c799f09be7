using CouponDesk.Data.States;
using Dapper;
using MySqlConnector;

namespace CouponDesk.Features.Approvals;

/// <summary>
/// The only writer of <c>approval_requests.status</c> (docs/architecture.md "State machines"): creation, the decision,
/// the execution's outcome, expiry and withdrawal, each checked against <see cref="ApprovalStatus.Machine"/> and written
/// in the caller's transaction with a guard on the state it leaves from (a row that moved meanwhile is not changed, and
/// the caller sees 0).
/// </summary>
public static class ApprovalTransitions
{
    private static StateMachine Machine => ApprovalStatus.Machine;

    public sealed record NewRequest(string Kind, long TargetId, long? CampaignId, long? ItemId, string? TargetLabel, string? Summary, long RequestedBy, DateTime ExpiresAt);

    /// <summary>A1: inserts a PENDING request; the caller writes its encrypted columns next (insert, then the bound values — D-SEC-12).</summary>
    public static Task<long> CreateAsync(MySqlConnection c, MySqlTransaction tx, NewRequest r, DateTime now, CancellationToken ct)
    {
        Machine.Check(StateMachine.New, ApprovalStatus.Pending);
        return c.ExecuteScalarAsync<long>(new CommandDefinition(
            $"""
            INSERT INTO approval_requests (kind, target_id, campaign_id, item_id, target_label, summary, status, requested_by, created_at, expires_at, updated_at)
            VALUES (@Kind, @TargetId, @CampaignId, @ItemId, @TargetLabel, @Summary, '{ApprovalStatus.Pending}', @RequestedBy, @now, @ExpiresAt, @now);
            SELECT LAST_INSERT_ID();
            """, new { r.Kind, r.TargetId, r.CampaignId, r.ItemId, r.TargetLabel, r.Summary, r.RequestedBy, r.ExpiresAt, now }, tx, cancellationToken: ct));
    }

    /// <summary>A2: PENDING → APPROVED by <paramref name="approver"/>; false when it is no longer pending or already past its expiry.</summary>
    public static async Task<bool> ApproveAsync(MySqlConnection c, MySqlTransaction tx, long id, long approver, DateTime now, CancellationToken ct) =>
        await MoveAsync(c, tx, id, ApprovalStatus.Pending, ApprovalStatus.Approved, "decided_by = @by, decided_at = @now,", "expires_at > @now", new { by = approver }, now, ct) == 1;

    /// <summary>A4: PENDING → REJECTED with the reason.</summary>
    public static async Task<bool> RejectAsync(MySqlConnection c, MySqlTransaction tx, long id, long rejecter, string reason, DateTime now, CancellationToken ct) =>
        await MoveAsync(c, tx, id, ApprovalStatus.Pending, ApprovalStatus.Rejected, "decided_by = @by, decided_at = @now, decision_reason = @reason,", "expires_at > @now", new { by = rejecter, reason }, now, ct) == 1;

    /// <summary>A6: PENDING → WITHDRAWN by its requester.</summary>
    public static async Task<bool> WithdrawAsync(MySqlConnection c, MySqlTransaction tx, long id, long requester, DateTime now, CancellationToken ct) =>
        await MoveAsync(c, tx, id, ApprovalStatus.Pending, ApprovalStatus.Withdrawn, "decided_by = @by, decided_at = @now,", "requested_by = @by", new { by = requester }, now, ct) == 1;

    /// <summary>A5: PENDING → EXPIRED once past <c>expires_at</c>.</summary>
    public static async Task<bool> ExpireAsync(MySqlConnection c, MySqlTransaction tx, long id, DateTime now, CancellationToken ct) =>
        await MoveAsync(c, tx, id, ApprovalStatus.Pending, ApprovalStatus.Expired, "decided_at = @now,", "expires_at <= @now", null, now, ct) == 1;

    /// <summary>A3: APPROVED → EXECUTED or EXECUTION_FAILED with what the action answered.</summary>
    public static async Task<bool> FinishAsync(MySqlConnection c, MySqlTransaction? tx, long id, bool executed, string message, DateTime now, CancellationToken ct) =>
        await MoveAsync(c, tx, id, ApprovalStatus.Approved, executed ? ApprovalStatus.Executed : ApprovalStatus.ExecutionFailed,
            "result_message = @message, executed_at = @now,", null, new { message = message.Length > 300 ? message[..300] : message }, now, ct) == 1;

    /// <summary>The one status UPDATE: checks from → to, then moves the row if it is still in <paramref name="from"/>.</summary>
    private static Task<int> MoveAsync(MySqlConnection c, MySqlTransaction? tx, long id, string from, string to, string set, string? where, object? args, DateTime now, CancellationToken ct)
    {
        Machine.Check(from, to);
        var p = new DynamicParameters(args);
        p.Add("id", id);
        p.Add("from", from);
        p.Add("to", to);
        p.Add("now", now);
        return c.ExecuteAsync(new CommandDefinition(
            $"UPDATE approval_requests SET status = @to, {set} updated_at = @now WHERE id = @id AND status = @from{(where is null ? "" : " AND " + where)}",
            p, tx, cancellationToken: ct));
    }
}
