using CouponDesk.Features.Audit;
using CouponDesk.Web.Errors;
using MySqlConnector;

namespace CouponDesk.Features.Approvals;

/// <summary>What an approved request's execution answered: done (with the action's own message) or failed (with why).</summary>
public sealed record ApprovalExecution(bool Executed, string Message)
{
    public static ApprovalExecution Done(string message) => new(true, message);

    public static ApprovalExecution Failed(string reason) => new(false, reason);
}

/// <summary>
/// One action two-person approval covers (spec §1.3), registered by the feature that owns the action. Its execution runs
/// the <b>same method</b> the direct button runs, with the request's parameters and the approver as actor (on behalf of
/// the requester, <see cref="AuditActor.Approval"/>), so every precondition is checked again at that moment by the code
/// that checks it for the direct path (spec §1.3 item 4) — nothing of the action is written twice.
/// </summary>
public interface IApprovalAction
{
    string Kind { get; }

    /// <summary>A question the approver must answer before approving (e.g. the night confirmation of 재발송), or null.</summary>
    ApiProblem? Question(IReadOnlyDictionary<string, string> parameters, bool confirmNight) => null;

    Task<ApprovalExecution> ExecuteAsync(ApprovalRecord request, IReadOnlyDictionary<string, string> parameters, string? memo, AuditActor approver, CancellationToken ct);

    /// <summary>Called in the expiring transaction (spec §1.3 item 6: an expired campaign-cancel request stops the campaign).</summary>
    Task OnExpiredAsync(MySqlConnection c, MySqlTransaction tx, ApprovalRecord request, CancellationToken ct) => Task.CompletedTask;
}
