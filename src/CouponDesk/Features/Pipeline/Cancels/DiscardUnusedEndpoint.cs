using System.Globalization;
using CouponDesk.Features.Approvals;
using CouponDesk.Features.Audit;
using CouponDesk.Hosting;
using CouponDesk.Security;
using CouponDesk.Web.Errors;
using Microsoft.AspNetCore.Mvc;

namespace CouponDesk.Features.Pipeline.Cancels;

/// <summary>Body of <c>POST /api/campaigns/{id}/coupons/discard-unused</c>: the event name, typed to confirm.</summary>
public sealed record DiscardUnusedRequest(string? EventName, string? Memo = null, bool? RequestApproval = null);

/// <summary>
/// 미사용 쿠폰 일괄 폐기 (P9, ADMIN): <c>POST /api/campaigns/{id}/coupons/discard-unused</c> with <c>{"eventName": "…"}</c>
/// → 200 <c>{"state", "total", "cancelled", "failed", "pending"}</c>; 400 when the typed name is missing, too long or not
/// the campaign's; 404 unknown campaign; 409 <c>CAMPAIGN_NOT_FINISHED</c> / <c>NO_UNUSED_COUPONS</c>.
/// <c>GET</c> on the same path answers the counts so far (404 when none was requested).
/// </summary>
public sealed class DiscardUnusedEndpoint : IEndpointModule
{
    /// <summary>An event name is at most 50 characters (spec §3.2.1).</summary>
    public const int MaxEventNameLength = 50;

    public void Map(IEndpointRouteBuilder app)
    {
        const string Path = "/api/campaigns/{id:long}/coupons/discard-unused";
        app.MapPost(Path, DiscardAsync).WithTags("Campaign pipeline").RequireAuthorization(Policies.DiscardUnusedCoupons).WithMetadata(new RequestSizeLimitAttribute(16 * 1024));
        app.MapGet(Path, async (long id, DiscardUnused discard, CancellationToken ct) =>
            await discard.StatusAsync(id, ct) is { } result ? Results.Ok(result) : ApiProblem.NotFound("미사용 쿠폰 일괄 폐기 요청이 없습니다.").ToResult())
            .WithTags("Campaign pipeline").RequireAuthorization(Policies.ViewCampaigns);
    }

    private static async Task<IResult> DiscardAsync(
        long id, DiscardUnusedRequest? request, HttpContext http, DiscardUnused discard, ApprovalGate approval, CampaignApprovals approvals, CancellationToken ct)
    {
        var typed = request?.EventName?.Trim();
        string? problem = string.IsNullOrEmpty(typed) ? "확인을 위해 이벤트명을 입력해 주세요."
            : typed.Length > MaxEventNameLength ? string.Create(CultureInfo.InvariantCulture, $"이벤트명은 {MaxEventNameLength}자까지입니다.")
            : null;
        if (problem is not null)
        {
            return ApiProblem.Validation("eventName", problem).ToResult();
        }

        // Spec §1.3: 일괄 폐기 승인 is on by default; the request needs a memo (≤ 200, one line).
        var (route, refused) = approval.Decide(ApprovalKinds.BulkDiscard, request?.RequestApproval);
        if (route == ApprovalRoute.Request)
        {
            var memo = request!.Memo?.Trim();
            var bad = string.IsNullOrEmpty(memo) ? "승인 요청에는 메모를 입력해야 합니다."
                : memo.Length > CampaignCancelEndpoints.MaxReasonLength ? string.Create(CultureInfo.InvariantCulture, $"메모는 {CampaignCancelEndpoints.MaxReasonLength}자까지 입력할 수 있습니다.")
                : Web.Validation.FreeText.Check(memo, "메모");
            return bad is not null
                ? ApiProblem.Validation("memo", bad).ToResult()
                : (await approvals.RequestDiscardAsync(id, typed!, memo!, AuditActor.From(http), ct)).ToResult(requestId =>
                    Results.Json(new { message = ApprovalRequests.Registered, requestId }, statusCode: StatusCodes.Status202Accepted));
        }

        return refused is not null
            ? refused.ToResult()
            : (await discard.DiscardAsync(id, typed!, AuditActor.From(http), ct)).ToResult(r => Results.Ok(r));
    }
}
