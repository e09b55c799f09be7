using System.Globalization;
using CouponDesk.Features.Approvals;
using CouponDesk.Features.Audit;
using CouponDesk.Hosting;
using CouponDesk.Security;
using CouponDesk.Web.Errors;
using Microsoft.AspNetCore.Mvc;

namespace CouponDesk.Features.Pipeline.Cancels;

/// <summary>Body of the two cancel endpoints.</summary>
public sealed record CampaignCancelRequest(string? Reason, bool? RequestApproval = null);

/// <summary>
/// The cancel of a campaign (P7, <see cref="CampaignCancel"/>), with a reason (required, ≤ 200 characters, one line):
/// <list type="bullet">
/// <item><c>POST /api/campaigns/{id}/pipeline/cancel</c> — 일괄취소: SCHEDULED, ISSUING, SENDING, PAUSED or ERROR;</item>
/// <item><c>POST /api/campaigns/{id}/pipeline/cancel-unsent</c> — 미발송분 취소: PAUSED or ERROR (the same effect);</item>
/// <item><c>GET /api/campaigns/{id}/pipeline/cancel/preview</c> — the counts a cancel would affect now, for the dialog.</item>
/// </list>
/// 200 with the counts; 400 for a bad reason, 404 for an unknown campaign, 409 when the state does not allow it (a refusal
/// never points to the other action when that one would refuse too).
/// </summary>
public sealed class CampaignCancelEndpoints : IEndpointModule
{
    public const int MaxReasonLength = 200;

    public void Map(IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/campaigns/{id:long}/pipeline").WithTags("Campaign pipeline");
        var jsonLimit = new RequestSizeLimitAttribute(64 * 1024);
        group.MapPost("/cancel", (long id, CampaignCancelRequest? request, HttpContext http, CampaignCancel cancel, ApprovalGate approval, CampaignApprovals approvals, CancellationToken ct) =>
                CancelAsync(id, CancelKind.Bulk, request, http, cancel, approval, approvals, ct))
            .RequireAuthorization(Policies.CancelCampaign).WithMetadata(jsonLimit);
        group.MapPost("/cancel-unsent", (long id, CampaignCancelRequest? request, HttpContext http, CampaignCancel cancel, ApprovalGate approval, CampaignApprovals approvals, CancellationToken ct) =>
                CancelAsync(id, CancelKind.Unsent, request, http, cancel, approval, approvals, ct))
            .RequireAuthorization(Policies.CancelCampaign).WithMetadata(jsonLimit);
        group.MapGet("/cancel/preview", async (long id, CancelPreview preview, CancellationToken ct) =>
            await preview.GetAsync(id, ct) is { } p ? Results.Ok(p) : ApiProblem.NotFound().ToResult())
            .RequireAuthorization(Policies.CancelCampaign);
    }

    private static async Task<IResult> CancelAsync(
        long id, CancelKind kind, CampaignCancelRequest? request, HttpContext http, CampaignCancel cancel, ApprovalGate approval, CampaignApprovals approvals, CancellationToken ct)
    {
        var reason = request?.Reason?.Trim();
        var problem = CheckReason(reason);
        if (problem is not null)
        {
            return ApiProblem.Validation("reason", problem).ToResult();
        }

        // Spec §1.3: with 발송 취소 승인 on, the cancel becomes a request (its reason is the request's memo).
        var (route, refused) = approval.Decide(ApprovalKinds.CampaignCancel, request?.RequestApproval);
        if (refused is not null)
        {
            return refused.ToResult();
        }

        if (route == ApprovalRoute.Request)
        {
            return (await approvals.RequestCancelAsync(id, kind, reason!, AuditActor.From(http), ct)).ToResult(requestId =>
                Results.Json(new { message = ApprovalRequests.Registered, requestId }, statusCode: StatusCodes.Status202Accepted));
        }

        return (await cancel.CancelAsync(id, kind, reason!, AuditActor.From(http), ct)).ToResult(r => Results.Ok(new
        {
            whole = r.Whole,
            cancelledItems = r.CancelledItems,
            withdrawn = r.Withdrawn,
            takenByAgent = r.TakenByAgent,
            alreadyFinished = r.AlreadyFinished,
            droppedResends = r.DroppedResends,
            couponsCancelled = r.CouponsCancelled,
            couponCancelsPending = r.CouponCancelsPending,
            message = r.Message,
        }));
    }

    /// <summary>The Korean field message for a reason that cannot be accepted, or null.</summary>
    public static string? CheckReason(string? reason)
    {
        if (string.IsNullOrEmpty(reason))
        {
            return "취소 사유를 입력해 주세요.";
        }

        if (reason.Length > MaxReasonLength)
        {
            return string.Create(CultureInfo.InvariantCulture, $"취소 사유는 {MaxReasonLength}자까지 입력할 수 있습니다.");
        }

        // Control and invisible format characters (line breaks, NUL, bidi overrides) would corrupt logs, CSV exports and screens.
        return Web.Validation.FreeText.Check(reason, "취소 사유");
    }
}
