using CouponDesk.Features.Approvals;
using CouponDesk.Features.Audit;
using CouponDesk.Features.Campaigns;
using CouponDesk.Features.Coupons;
using CouponDesk.Features.Recipients;
using CouponDesk.Security.Masking;
using CouponDesk.Security.Pii;
using CouponDesk.Shared.Time;
using CouponDesk.Web.Errors;
using Dapper;

namespace CouponDesk.Features.CustomerService;

/// <summary>
/// C/S under two-person approval (spec §1.3, §3.4.3 "승인 요청이 등록되었습니다."): a request is made inside the same
/// action frame as the action itself — the item locked, the page's version and the rules of §3.4.4 for that action
/// checked — so only an action that could run now is requested, and a second request on the item is refused. On
/// approval the action runs through its own method (<see cref="CsResend"/>, <see cref="CsPhoneChange"/>,
/// <see cref="CsDiscard"/>) with no page version: the rules are checked again at that moment.
/// </summary>
public sealed class CsApprovals(CsActionFrame frame, ApprovalRequests requests, PiiProtector pii)
{
    public const string MemoRequired = "승인 요청에는 상담 메모를 입력해야 합니다.";

    public Task<CsResult> RequestAsync(
        long itemId, int version, string kind, Func<CsActions, CsAvailability> gate, IReadOnlyDictionary<string, string> parameters, string memo, string summary,
        AuditActor actor, CancellationToken ct) =>
        frame.RunAsync(itemId, version, gate, async x =>
        {
            if (parameters.TryGetValue(CsApprovalParameters.NewPhone, out var newPhone))
            {
                var recipient = await CsItemStates.RecipientAsync(x.Connection, x.Transaction, itemId, ct);
                if (pii.Decrypt(recipient.PhoneEnc!, recipient.PhonePlace) == newPhone) // the rules refuse a purged phone
                {
                    return CsResult.Refused(ApiProblem.Validation("newPhone", CsPhoneChange.SameNumber));
                }
            }

            var mask = await x.Connection.QuerySingleOrDefaultAsync<(int CouponEncLength, string? CouponLast4, string? EventName)>(new CommandDefinition(
                $"SELECT {CouponRepository.MaskColumns("k")}, cp.event_name FROM campaigns cp LEFT JOIN coupons k ON k.id = @coupon WHERE cp.id = @campaign",
                new { coupon = x.State.CouponId, campaign = x.State.CampaignId }, x.Transaction, cancellationToken: ct));
            var target = mask.CouponLast4 is { } last4 ? $"{mask.EventName} · {CouponRepository.Masked(mask.CouponEncLength, last4)}" : $"{mask.EventName} · 쿠폰 발급 전";
            var created = await requests.CreateAsync(x.Connection, x.Transaction,
                new NewApproval(kind, itemId, x.State.CampaignId, itemId, parameters, memo, target, summary), actor, ct);
            if (created.Refusal is { } refusal)
            {
                return CsResult.Conflict(refusal.Code, refusal.Message);
            }

            await x.Transaction.CommitAsync(ct);
            return CsResult.Accepted(ApprovalRequests.Registered);
        }, "C/S approval request", ct);

    /// <summary>What an approved C/S action answered, for the request's outcome.</summary>
    public static ApprovalExecution Outcome(CsResult result) =>
        result.Problem is { } problem ? ApprovalExecution.Failed(problem.Detail) : ApprovalExecution.Done(result.Message ?? "");

    public static string NewPhoneSummary(string newPhone) => "새 번호 " + Masking.Phone(newPhone);

    public static string? Normalized(string input) =>
        input.Length <= CsQuery.MaxPhoneInput ? PhoneNumber.Normalize(input).Normalized : null;
}

/// <summary>The parameter names a C/S request stores (encrypted, spec §1.3 item 2).</summary>
public static class CsApprovalParameters
{
    public const string NewPhone = "newPhone";
    public const string Reason = "reason";
}

/// <summary>재발송 on approval: <see cref="CsResend.ResendAsync"/>; at night the approver confirms, as the requester would have.</summary>
public sealed class CsResendApproval(CsResend resend, CampaignOptions nightWindow, TimeProvider time) : IApprovalAction
{
    public string Kind => ApprovalKinds.CsResend;

    public ApiProblem? Question(IReadOnlyDictionary<string, string> parameters, bool confirmNight) =>
        nightWindow.IsNight(Kst.Now(time)) && !confirmNight ? ApiProblem.Conflict(CsProblemCodes.NightConfirmation, CsResend.NightQuestion) : null;

    public async Task<ApprovalExecution> ExecuteAsync(ApprovalRecord request, IReadOnlyDictionary<string, string> parameters, string? memo, AuditActor approver, CancellationToken ct) =>
        CsApprovals.Outcome(await resend.ResendAsync(request.TargetId, null, confirmNight: true, memo, approver, ct));
}

/// <summary>번호변경 on approval: <see cref="CsPhoneChange.ChangeAsync"/> with the stored (encrypted) new number.</summary>
public sealed class CsPhoneChangeApproval(CsPhoneChange change) : IApprovalAction
{
    public string Kind => ApprovalKinds.CsChangeNumber;

    public async Task<ApprovalExecution> ExecuteAsync(ApprovalRecord request, IReadOnlyDictionary<string, string> parameters, string? memo, AuditActor approver, CancellationToken ct) =>
        CsApprovals.Outcome(await change.ChangeAsync(request.TargetId, null, parameters[CsApprovalParameters.NewPhone], memo, approver, ct));
}

/// <summary>쿠폰폐기 on approval: <see cref="CsDiscard.DiscardAsync"/> with the stored reason.</summary>
public sealed class CsDiscardApproval(CsDiscard discard) : IApprovalAction
{
    public string Kind => ApprovalKinds.CsDiscard;

    public async Task<ApprovalExecution> ExecuteAsync(ApprovalRecord request, IReadOnlyDictionary<string, string> parameters, string? memo, AuditActor approver, CancellationToken ct) =>
        CsApprovals.Outcome(await discard.DiscardAsync(request.TargetId, null, parameters[CsApprovalParameters.Reason], memo, approver, ct));
}
