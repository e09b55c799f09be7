using System.Globalization;
using CouponDesk.Data;
using CouponDesk.Features.Approvals;
using CouponDesk.Features.Audit;
using CouponDesk.Features.Campaigns;
using CouponDesk.Features.Pipeline.Scheduling;
using CouponDesk.Web.Errors;
using Dapper;
using MySqlConnector;

namespace CouponDesk.Features.Pipeline.Cancels;

/// <summary>
/// The campaign actions under two-person approval (spec §1.3): 발송 취소 (P7) and 미사용 쿠폰 일괄 폐기 (P9). A request is
/// made under the campaign's row lock after the same state checks the action makes (<see cref="CampaignCancel.Refused"/>,
/// <see cref="DiscardUnused.Refused"/>), so only what could run now is requested and a second request is refused. A
/// pending cancel request holds a scheduled campaign (<c>CancelApprovals</c>, spec §1.3 item 6).
/// </summary>
public sealed class CampaignApprovals(DbConnectionFactory connections, ApprovalRequests requests, ILogger<CampaignApprovals> logger)
{
    public const string KindParameter = "kind";
    public const string ReasonParameter = "reason";
    public const string EventNameParameter = "eventName";

    public Task<Outcome<long>> RequestCancelAsync(long id, CancelKind kind, string reason, AuditActor actor, CancellationToken ct) =>
        // 일괄취소 also takes a SCHEDULED campaign (C10), which CampaignCancel handles before its state check.
        RequestAsync(id, ApprovalKinds.CampaignCancel, (status, _) => kind == CancelKind.Bulk && status == CampaignStatus.Scheduled ? null : CampaignCancel.Refused(kind, status),
            new Dictionary<string, string> { [KindParameter] = kind.ToString(), [ReasonParameter] = reason }, reason,
            (kind == CancelKind.Bulk ? "일괄취소" : "미발송분 취소") + " · 사유: " + reason, actor, ct);

    public Task<Outcome<long>> RequestDiscardAsync(long id, string typedEventName, string memo, AuditActor actor, CancellationToken ct) =>
        RequestAsync(id, ApprovalKinds.BulkDiscard, (status, eventName) => DiscardUnused.Refused(status, eventName, typedEventName),
            new Dictionary<string, string> { [EventNameParameter] = typedEventName }, memo, "미사용 쿠폰 전체 폐기", actor, ct);

    private async Task<Outcome<long>> RequestAsync(
        long id, string kind, Func<string, string?, Refusal?> check, IReadOnlyDictionary<string, string> parameters, string memo, string summary, AuditActor actor, CancellationToken ct)
    {
        Outcome<long>? outcome = null;
        await DeadlockRetry.RunAsync(async () =>
        {
            await using var c = await connections.OpenAsync(ct);
            await using var tx = await c.BeginTransactionAsync(ct);
            var found = await c.QuerySingleOrDefaultAsync<(string? Status, string? EventName)>(new CommandDefinition(
                "SELECT status, event_name FROM campaigns WHERE id = @id AND deleted_at IS NULL FOR UPDATE", new { id }, tx, cancellationToken: ct));
            if (found.Status is null)
            {
                outcome = Refusal.NotFound();
                return;
            }

            if (check(found.Status, found.EventName) is { } no)
            {
                outcome = no;
                return;
            }

            var target = string.Create(CultureInfo.InvariantCulture, $"#{id} {found.EventName}");
            outcome = await requests.CreateAsync(c, tx, new NewApproval(kind, id, id, null, parameters, memo, target, summary), actor, ct);
            if (outcome.Done)
            {
                await tx.CommitAsync(ct);
            }
        }, logger, "campaign approval request");
        return outcome!;
    }
}

/// <summary>발송 취소 on approval: <see cref="CampaignCancel.CancelAsync"/> with the stored kind and reason.</summary>
public sealed class CampaignCancelApproval(CampaignCancel cancel, CampaignTransitions transitions) : IApprovalAction
{
    public string Kind => ApprovalKinds.CampaignCancel;

    public async Task<ApprovalExecution> ExecuteAsync(ApprovalRecord request, IReadOnlyDictionary<string, string> parameters, string? memo, AuditActor approver, CancellationToken ct)
    {
        var kind = Enum.Parse<CancelKind>(parameters[CampaignApprovals.KindParameter]);
        var outcome = await cancel.CancelAsync(request.TargetId, kind, parameters[CampaignApprovals.ReasonParameter], approver, ct);
        return outcome.Refusal is { } r ? ApprovalExecution.Failed(r.Message) : ApprovalExecution.Done(outcome.Value!.Message);
    }

    /// <summary>Spec §1.3 item 6: a campaign the expired request held goes to ERROR "취소 승인 요청 만료" for a person to resume or cancel.</summary>
    public async Task OnExpiredAsync(MySqlConnection c, MySqlTransaction tx, ApprovalRecord request, CancellationToken ct)
    {
        var status = await c.ExecuteScalarAsync<string?>(new CommandDefinition(
            "SELECT status FROM campaigns WHERE id = @id AND deleted_at IS NULL FOR UPDATE", new { id = request.TargetId }, tx, cancellationToken: ct));
        if (status == CampaignStatus.Scheduled)
        {
            await transitions.StopAsync(c, tx, request.TargetId, CancelApprovals.ExpiredCode, CancelApprovals.ExpiredReason, ct);
        }
    }
}

/// <summary>미사용 쿠폰 일괄 폐기 on approval: <see cref="DiscardUnused.DiscardAsync"/> with the typed event name stored.</summary>
public sealed class DiscardUnusedApproval(DiscardUnused discard) : IApprovalAction
{
    public string Kind => ApprovalKinds.BulkDiscard;

    public async Task<ApprovalExecution> ExecuteAsync(ApprovalRecord request, IReadOnlyDictionary<string, string> parameters, string? memo, AuditActor approver, CancellationToken ct)
    {
        var outcome = await discard.DiscardAsync(request.TargetId, parameters[CampaignApprovals.EventNameParameter], approver, ct);
        return outcome.Refusal is { } r
            ? ApprovalExecution.Failed(r.Errors?.Values.FirstOrDefault()?.FirstOrDefault() ?? r.Message)
            : ApprovalExecution.Done(string.Create(CultureInfo.InvariantCulture,
                $"미사용 쿠폰 {outcome.Value!.Total:N0}건 폐기: 완료 {outcome.Value.Cancelled:N0}, 실패 {outcome.Value.Failed:N0}, 진행 중 {outcome.Value.Pending:N0}"));
    }
}
