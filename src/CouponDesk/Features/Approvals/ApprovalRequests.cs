using System.Globalization;
using System.Text.Json;
using CouponDesk.Data;
using CouponDesk.Features.Audit;
using CouponDesk.Security.Pii;
using CouponDesk.Web.Errors;
using Dapper;
using MySqlConnector;

namespace CouponDesk.Features.Approvals;

/// <summary>A request to store: the covered action, its target, its parameters (encrypted) and the requester's memo.</summary>
public sealed record NewApproval(string Kind, long TargetId, long? CampaignId, long? ItemId, IReadOnlyDictionary<string, string> Parameters, string Memo, string? TargetLabel, string? Summary);

/// <summary>
/// The two-person approval workflow (spec §1.3 steps 2–5 and 8): a request is stored PENDING in the covered action's own
/// transaction (the action's target row locked, so two requests or a request and a direct action cannot cross); another
/// ADMIN/OPERATOR approves it — the approval is committed first, then the action runs through its own method
/// (<see cref="IApprovalAction"/>) and its outcome is recorded — or rejects it with a reason; the requester can withdraw
/// it; it expires after <see cref="ApprovalOptions.ExpiryHours"/>. Every step is an audit event. A refusal changes nothing.
/// </summary>
public sealed class ApprovalRequests(
    DbConnectionFactory connections,
    IEnumerable<IApprovalAction> actions,
    ApprovalOptions options,
    PiiProtector pii,
    AuditTrail audit,
    TimeProvider time,
    ILogger<ApprovalRequests> logger)
{
    public const string RequestedAction = "approval.requested";
    public const string ApprovedAction = "approval.approved";
    public const string RejectedAction = "approval.rejected";
    public const string WithdrawnAction = "approval.withdrawn";
    public const string ExpiredAction = "approval.expired";
    public const string ExecutedAction = "approval.executed";
    public const string ExecutionFailedAction = "approval.execution_failed";

    public const string Registered = "승인 요청이 등록되었습니다.";
    public const string ExecutedMessage = "승인되어 처리되었습니다.";
    public const string RejectedMessage = "반려되었습니다.";
    public const string WithdrawnMessage = "요청을 취소했습니다.";

    public static readonly EncryptedColumn ParamsColumn = new EncryptedColumn("approval_requests", "params_enc", Bound: true).Validated();
    public static readonly EncryptedColumn MemoColumn = new EncryptedColumn("approval_requests", "memo_enc", Bound: true).Validated();

    private readonly Dictionary<string, IApprovalAction> byKind = actions.ToDictionary(a => a.Kind, StringComparer.Ordinal);

    public static string FailedMessage(string reason) => $"승인했지만 처리에 실패했습니다: {reason}";

    /// <summary>
    /// Stores a PENDING request in the caller's transaction, which holds the lock on the target row (the C/S item, or the
    /// campaign). Refused when a request is already pending on the same target (spec §1.3 item 2).
    /// </summary>
    public async Task<Outcome<long>> CreateAsync(MySqlConnection c, MySqlTransaction tx, NewApproval request, AuditActor actor, CancellationToken ct)
    {
        var now = time.GetUtcNow().UtcDateTime;
        var pending = await c.ExecuteScalarAsync<long?>(new CommandDefinition(
            ApprovalKinds.IsCs(request.Kind)
                ? $"SELECT id FROM approval_requests WHERE item_id = @ItemId AND status = '{ApprovalStatus.Pending}' LIMIT 1"
                : $"SELECT id FROM approval_requests WHERE campaign_id = @CampaignId AND item_id IS NULL AND status = '{ApprovalStatus.Pending}' LIMIT 1",
            request, tx, cancellationToken: ct));
        if (pending is not null)
        {
            return Refusal.Conflict(ApprovalProblems.PendingCode, ApprovalProblems.PendingMessage);
        }

        var id = await ApprovalTransitions.CreateAsync(c, tx, new ApprovalTransitions.NewRequest(
            request.Kind, request.TargetId, request.CampaignId, request.ItemId, request.TargetLabel, request.Summary, actor.UserId ?? 0, now.AddHours(options.ExpiryHours)), now, ct);
        // D-SEC-12: insert, then the values bound to the new row, in the same transaction.
        await c.ExecuteAsync(new CommandDefinition(
            "UPDATE approval_requests SET params_enc = @p, memo_enc = @m WHERE id = @id",
            new
            {
                id,
                p = pii.Encrypt(JsonSerializer.Serialize(request.Parameters), ParamsColumn.PlaceOf(id)),
                m = pii.Encrypt(request.Memo, MemoColumn.PlaceOf(id)),
            }, tx, cancellationToken: ct));
        await audit.WriteAsync(Entry(actor, RequestedAction, id, request.Kind, request.TargetId) with { Subject = request.Summary }, c, tx, ct);
        return id;
    }

    /// <summary>
    /// 승인 (spec §1.3 items 3–4): refused for the requester, for a request no longer pending or past its expiry, and for
    /// an OPERATOR on a bulk discard. The approval is committed first (a second click then finds it handled), then the
    /// action runs and EXECUTED or EXECUTION_FAILED is recorded with its message.
    /// </summary>
    public async Task<(ApprovalExecution? Execution, ApiProblem? Problem)> ApproveAsync(long id, AuditActor actor, string role, bool confirmNight, CancellationToken ct)
    {
        ApprovalRecord? approved = null;
        IReadOnlyDictionary<string, string>? parameters = null;
        string? requesterLogin = null;
        var problem = await DeadlockRetry.RunAsync<ApiProblem?>(async () =>
        {
            var now = time.GetUtcNow().UtcDateTime;
            await using var c = await connections.OpenAsync(ct);
            await using var tx = await c.BeginTransactionAsync(ct);
            var r = await LockAsync(c, tx, id, ct);
            if (Decidable(r, actor, now, ApprovalProblems.OwnRequest) is { } no)
            {
                return no;
            }

            if (!ApprovalKinds.MayApprove(r!.Kind, role))
            {
                return ApprovalProblems.AdminRequired;
            }

            var p = Parameters(r);
            if (Action(r.Kind).Question(p, confirmNight) is { } question)
            {
                return question;
            }

            await ApprovalTransitions.ApproveAsync(c, tx, id, actor.UserId ?? 0, now, ct);
            await audit.WriteAsync(Entry(actor, ApprovedAction, id, r.Kind, r.TargetId) with { Subject = r.Summary }, c, tx, ct);
            requesterLogin = await c.ExecuteScalarAsync<string?>(new CommandDefinition(
                "SELECT login_id FROM users WHERE id = @by", new { by = r.RequestedBy }, tx, cancellationToken: ct));
            await tx.CommitAsync(ct);
            (approved, parameters) = (r, p);
            return null;
        }, logger, "approval");
        if (problem is not null)
        {
            return (null, problem);
        }

        return (await ExecuteAsync(approved!, parameters!, actor with { Approval = new ApprovedRequest(id, approved!.RequestedBy, requesterLogin) }, ct), null);
    }

    /// <summary>반려 (spec §1.3 item 3): by another ADMIN/OPERATOR, with a reason.</summary>
    public Task<ApiProblem?> RejectAsync(long id, string reason, AuditActor actor, CancellationToken ct) =>
        DecideAsync(id, actor, ApprovalProblems.OwnRequestReject, async (c, tx, r, now) =>
        {
            await ApprovalTransitions.RejectAsync(c, tx, id, actor.UserId ?? 0, reason, now, ct);
            await audit.WriteAsync(Entry(actor, RejectedAction, id, r.Kind, r.TargetId) with { Subject = r.Summary, Reason = reason }, c, tx, ct);
            return null;
        }, ct);

    /// <summary>요청 취소 (spec §1.3 item 5): only by its requester, while it is pending.</summary>
    public Task<ApiProblem?> WithdrawAsync(long id, AuditActor actor, CancellationToken ct) =>
        DecideAsync(id, actor, null, async (c, tx, r, now) =>
        {
            await ApprovalTransitions.WithdrawAsync(c, tx, id, actor.UserId ?? 0, now, ct);
            await audit.WriteAsync(Entry(actor, WithdrawnAction, id, r.Kind, r.TargetId) with { Subject = r.Summary }, c, tx, ct);
            return null;
        }, ct);

    /// <summary>
    /// The expiry (spec §1.3 item 5, §5.8 every 5 minutes): every PENDING request past its <c>expires_at</c> becomes
    /// EXPIRED, one transaction each, with its audit event and its action's hook (a held campaign goes to ERROR).
    /// </summary>
    public async Task<int> ExpireDueAsync(CancellationToken ct)
    {
        var count = 0;
        while (!ct.IsCancellationRequested)
        {
            var now = time.GetUtcNow().UtcDateTime;
            List<long> due;
            await using (var c = await connections.OpenAsync(ct))
            {
                due = [.. await c.QueryAsync<long>(new CommandDefinition(
                    $"SELECT id FROM approval_requests WHERE status = '{ApprovalStatus.Pending}' AND expires_at <= @now ORDER BY id LIMIT 200", new { now }, cancellationToken: ct))];
            }

            foreach (var id in due)
            {
                count += await DeadlockRetry.RunAsync(async () =>
                {
                    await using var c = await connections.OpenAsync(ct);
                    await using var tx = await c.BeginTransactionAsync(ct);
                    var r = await LockAsync(c, tx, id, ct);
                    if (r is null || !await ApprovalTransitions.ExpireAsync(c, tx, id, now, ct))
                    {
                        return 0;
                    }

                    await Action(r.Kind).OnExpiredAsync(c, tx, r, ct);
                    await audit.WriteAsync(new AuditEntry
                    {
                        Action = ExpiredAction,
                        ActorLogin = AuditEntry.SystemActor,
                        TargetType = "approval_request",
                        TargetId = id.ToString(CultureInfo.InvariantCulture),
                        Subject = r.Summary,
                        Details = Details(r.Kind, r.TargetId),
                    }, c, tx, ct);
                    await tx.CommitAsync(ct);
                    return 1;
                }, logger, "approval expiry");
            }

            if (due.Count < 200)
            {
                break;
            }
        }

        return count;
    }

    /// <summary>The request's parameters, decrypted at their place.</summary>
    public IReadOnlyDictionary<string, string> Parameters(ApprovalRecord r) =>
        r.ParamsEnc is null ? new Dictionary<string, string>() : JsonSerializer.Deserialize<Dictionary<string, string>>(pii.Decrypt(r.ParamsEnc, ParamsColumn.PlaceOf(r.Id)))!;

    private static async Task<ApprovalRecord?> LockAsync(MySqlConnection c, MySqlTransaction tx, long id, CancellationToken ct) =>
        await c.QuerySingleOrDefaultAsync<ApprovalRecord>(new CommandDefinition(
            $"SELECT {ApprovalRecord.Columns} FROM approval_requests a WHERE a.id = @id FOR UPDATE", new { id }, tx, cancellationToken: ct));

    /// <summary>Why <paramref name="actor"/> cannot decide <paramref name="r"/> now, or null (own request: <paramref name="own"/>; null = only the requester may).</summary>
    private static ApiProblem? Decidable(ApprovalRecord? r, AuditActor actor, DateTime now, ApiProblem? own)
    {
        if (r is null)
        {
            return ApprovalProblems.NotFound;
        }

        if (own is not null && r.RequestedBy == actor.UserId)
        {
            return own;
        }

        if (own is null && r.RequestedBy != actor.UserId)
        {
            return ApprovalProblems.NotRequester;
        }

        if (r.Status != ApprovalStatus.Pending)
        {
            return ApprovalProblems.Handled(r.Status);
        }

        return r.ExpiresAt <= now ? ApprovalProblems.Expired : null;
    }

    private async Task<ApiProblem?> DecideAsync(long id, AuditActor actor, ApiProblem? own, Func<MySqlConnection, MySqlTransaction, ApprovalRecord, DateTime, Task<ApiProblem?>> decide, CancellationToken ct) =>
        await DeadlockRetry.RunAsync(async () =>
        {
            var now = time.GetUtcNow().UtcDateTime;
            await using var c = await connections.OpenAsync(ct);
            await using var tx = await c.BeginTransactionAsync(ct);
            var r = await LockAsync(c, tx, id, ct);
            if (Decidable(r, actor, now, own) is { } no)
            {
                return no;
            }

            var problem = await decide(c, tx, r!, now);
            if (problem is null)
            {
                await tx.CommitAsync(ct);
            }

            return problem;
        }, logger, "approval decision");

    private async Task<ApprovalExecution> ExecuteAsync(ApprovalRecord r, IReadOnlyDictionary<string, string> parameters, AuditActor actor, CancellationToken ct)
    {
        ApprovalExecution execution;
        try
        {
            execution = await Action(r.Kind).ExecuteAsync(r, parameters, r.MemoEnc is null ? null : pii.Decrypt(r.MemoEnc, MemoColumn.PlaceOf(r.Id)), actor, ct);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            logger.LogError(e, "Approved request {RequestId} ({Kind}) failed to execute", r.Id, r.Kind);
            execution = ApprovalExecution.Failed("처리 중 오류가 발생했습니다. 대상의 현재 상태를 확인하세요.");
        }

        // Recorded even when the caller went away: the action ran (or failed) either way.
        var now = time.GetUtcNow().UtcDateTime;
        await using var c = await connections.OpenAsync(CancellationToken.None);
        await using var tx = await c.BeginTransactionAsync(CancellationToken.None);
        await ApprovalTransitions.FinishAsync(c, tx, r.Id, execution.Executed, execution.Message, now, CancellationToken.None);
        await audit.WriteAsync(Entry(actor with { Approval = null }, execution.Executed ? ExecutedAction : ExecutionFailedAction, r.Id, r.Kind, r.TargetId) with
        {
            Outcome = execution.Executed ? AuditOutcome.Success : AuditOutcome.Failure,
            Subject = r.Summary,
            Reason = execution.Executed ? null : execution.Message,
        }, c, tx, CancellationToken.None);
        await tx.CommitAsync(CancellationToken.None);
        return execution;
    }

    private IApprovalAction Action(string kind) =>
        byKind.TryGetValue(kind, out var action) ? action : throw new InvalidOperationException($"no approval action registered for {kind}");

    private static AuditEntry Entry(AuditActor actor, string action, long id, string kind, long targetId) =>
        actor.Entry(action) with { TargetType = "approval_request", TargetId = id.ToString(CultureInfo.InvariantCulture), Details = Details(kind, targetId) };

    private static Dictionary<string, string?> Details(string kind, long targetId) =>
        new() { ["kind"] = kind, ["target"] = targetId.ToString(CultureInfo.InvariantCulture) };
}
