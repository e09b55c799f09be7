using CouponDesk.Features.Approvals;
using CouponDesk.Features.Audit;
using CouponDesk.Hosting;
using CouponDesk.Security;
using CouponDesk.Web.Errors;
using Microsoft.AspNetCore.Mvc;

namespace CouponDesk.Features.CustomerService;

/// <summary>
/// C/S actions (spec §3.4.3): 재발송, 번호변경, 쿠폰폐기, 기타, 상태 새로고침 on one delivery item, each behind its policy
/// (P11–P14). Bad input is a 400 with the field; a refusal a 4xx with a stable code and Korean detail; both carry the
/// item's current row (<c>item</c>) so the page can redraw it. Success answers <c>{ message, item }</c>; 202 when a
/// follow-up continues on its own (a COUFUN cancel or a replacement coupon being retried).
/// </summary>
public sealed class CsActionEndpoints : IEndpointModule
{
    private const long MaxBody = 16 * 1024;

    public void Map(IEndpointRouteBuilder app)
    {
        var items = app.MapGroup("/api/cs/items/{id:long}").WithTags("C/S").WithMetadata(new RequestSizeLimitAttribute(MaxBody));
        items.MapPost("/resend", ResendAsync).RequireAuthorization(Policies.CsResend);
        items.MapPost("/change-number", ChangeNumberAsync).RequireAuthorization(Policies.CsChangeNumber);
        items.MapPost("/discard", DiscardAsync).RequireAuthorization(Policies.CsDiscardCoupon);
        items.MapPost("/memo", MemoAsync).RequireAuthorization(Policies.CsMemoAndRefresh);
        items.MapPost("/refresh", RefreshAsync).RequireAuthorization(Policies.CsMemoAndRefresh);
    }

    private static async Task<IResult> ResendAsync(
        long id, CsResendRequest? request, HttpContext http, CsResend resend, CsApprovals approvals, ApprovalGate approval, CsDetail detail, CancellationToken ct)
    {
        var errors = new Dictionary<string, string[]>();
        var version = CsInput.Version(request?.Version, errors);
        var memo = CsInput.Memo(request?.Memo, required: false, errors);
        var (route, refused) = Route(approval, ApprovalKinds.CsResend, request?.RequestApproval, memo, errors);
        return refused is not null ? await AnswerAsync(id, refused, detail, ct)
            : route == ApprovalRoute.Request
                ? await AnswerAsync(id, await approvals.RequestAsync(id, version, ApprovalKinds.CsResend, a => a.Resend, new Dictionary<string, string>(), memo!,
                    "같은 쿠폰을 현재 번호로 재발송", AuditActor.From(http), ct), detail, ct)
                : await AnswerAsync(id, await resend.ResendAsync(id, version, request!.ConfirmNight ?? false, memo, AuditActor.From(http), ct), detail, ct);
    }

    private static async Task<IResult> ChangeNumberAsync(
        long id, CsPhoneChangeRequest? request, HttpContext http, CsPhoneChange change, CsApprovals approvals, ApprovalGate approval, CsDetail detail, CancellationToken ct)
    {
        var errors = new Dictionary<string, string[]>();
        var version = CsInput.Version(request?.Version, errors);
        var memo = CsInput.Memo(request?.Memo, required: false, errors);
        if (string.IsNullOrWhiteSpace(request?.NewPhone))
        {
            errors["newPhone"] = ["변경할 휴대폰 번호를 입력하세요."];
        }

        var (route, refused) = Route(approval, ApprovalKinds.CsChangeNumber, request?.RequestApproval, memo, errors);
        if (refused is not null)
        {
            return await AnswerAsync(id, refused, detail, ct);
        }

        if (route == ApprovalRoute.Request)
        {
            // The number is checked now (format) and again on approval by the change itself (format, same number, campaign).
            return CsApprovals.Normalized(request!.NewPhone!.Trim()) is not { } newPhone
                ? await AnswerAsync(id, CsResult.Refused(ApiProblem.Validation("newPhone", CsPhoneChange.WrongFormat)), detail, ct)
                : await AnswerAsync(id, await approvals.RequestAsync(id, version, ApprovalKinds.CsChangeNumber, a => a.ChangeNumber,
                    new Dictionary<string, string> { [CsApprovalParameters.NewPhone] = newPhone }, memo!, CsApprovals.NewPhoneSummary(newPhone), AuditActor.From(http), ct), detail, ct);
        }

        return await AnswerAsync(id, await change.ChangeAsync(id, version, request!.NewPhone!.Trim(), memo, AuditActor.From(http), ct), detail, ct);
    }

    private static async Task<IResult> DiscardAsync(
        long id, CsDiscardRequest? request, HttpContext http, CsDiscard discard, CsApprovals approvals, ApprovalGate approval, CsDetail detail, CancellationToken ct)
    {
        var errors = new Dictionary<string, string[]>();
        var version = CsInput.Version(request?.Version, errors);
        var memo = CsInput.Memo(request?.Memo, required: false, errors);
        if (request?.Reason is not { } reason || !CsDiscard.Reasons.ContainsKey(reason))
        {
            errors["reason"] = ["폐기 사유를 선택하세요 (고객 요청, 오발송, 중복 발송, 기타)."];
        }
        else if (reason == "OTHER" && memo is null && !errors.ContainsKey("memo"))
        {
            errors["memo"] = ["기타 사유는 상담 메모에 입력하세요."];
        }

        var (route, refused) = Route(approval, ApprovalKinds.CsDiscard, request?.RequestApproval, memo, errors);
        return refused is not null ? await AnswerAsync(id, refused, detail, ct)
            : route == ApprovalRoute.Request
                ? await AnswerAsync(id, await approvals.RequestAsync(id, version, ApprovalKinds.CsDiscard, a => a.Discard,
                    new Dictionary<string, string> { [CsApprovalParameters.Reason] = request!.Reason! }, memo!, "폐기 사유: " + CsDiscard.Reasons[request.Reason!], AuditActor.From(http), ct), detail, ct)
                : await AnswerAsync(id, await discard.DiscardAsync(id, version, request!.Reason!, memo, AuditActor.From(http), ct), detail, ct);
    }

    /// <summary>
    /// The field errors first (400), then the approval switch against what the dialog showed (409, spec §1.3); a request
    /// needs a memo (§1.3 item 1).
    /// </summary>
    private static (ApprovalRoute Route, CsResult? Refused) Route(ApprovalGate approval, string kind, bool? requestApproval, string? memo, Dictionary<string, string[]> errors)
    {
        var (route, problem) = approval.Decide(kind, requestApproval);
        if (route == ApprovalRoute.Request && memo is null && !errors.ContainsKey("memo"))
        {
            errors["memo"] = [CsApprovals.MemoRequired];
        }

        return errors.Count > 0 ? (route, Invalid(errors)) : problem is not null ? (route, CsResult.Refused(problem)) : (route, null);
    }

    private static async Task<IResult> MemoAsync(long id, CsMemoRequest? request, HttpContext http, CsMemoAndRefresh memos, CsDetail detail, CancellationToken ct)
    {
        var errors = new Dictionary<string, string[]>();
        var memo = CsInput.Memo(request?.Memo, required: true, errors);
        return errors.Count > 0
            ? await AnswerAsync(id, Invalid(errors), detail, ct)
            : await AnswerAsync(id, await memos.MemoAsync(id, memo!, AuditActor.From(http), ct), detail, ct);
    }

    private static async Task<IResult> RefreshAsync(long id, HttpContext http, CsMemoAndRefresh memos, CsDetail detail, CancellationToken ct) =>
        await AnswerAsync(id, await memos.RefreshAsync(id, AuditActor.From(http), ct), detail, ct);

    /// <summary>400 with every field's message; the first one is the detail an alert box shows.</summary>
    private static CsResult Invalid(Dictionary<string, string[]> errors) => CsResult.Refused(ApiProblem.Validation(errors, errors.First().Value[0]));

    /// <summary>The answer with the item's row as it is now (after the change, or unchanged after a refusal).</summary>
    private static async Task<IResult> AnswerAsync(long id, CsResult result, CsDetail detail, CancellationToken ct)
    {
        var row = await detail.RowAsync(id, ct);
        if (result.Problem is { } problem)
        {
            return (row is null ? problem : problem with { Extensions = new Dictionary<string, object?> { ["item"] = row } }).ToResult();
        }

        return result.Status == StatusCodes.Status202Accepted
            ? Results.Json(new { message = result.Message, item = row }, statusCode: StatusCodes.Status202Accepted)
            : Results.Ok(new { message = result.Message, item = row });
    }
}
