using System.Globalization;
using CouponDesk.Features.Audit;
using CouponDesk.Hosting;
using CouponDesk.Security;
using CouponDesk.Web.Errors;

namespace CouponDesk.Features.Pipeline.Cancels;

/// <summary>Body of <c>POST /api/campaigns/{id}/pipeline/cancel-unsent</c>.</summary>
public sealed record CancelUnsentRequest(string? Reason);

/// <summary>
/// 미발송분 취소 (P7): <c>POST /api/campaigns/{id}/pipeline/cancel-unsent</c> with <c>{"reason": "…"}</c> (required, ≤ 200
/// characters, one line) → 200 <c>{"cancelledItems", "couponsCancelled", "couponCancelsPending"}</c>; 400 for a bad reason,
/// 404 for an unknown campaign, 409 (<c>CAMPAIGN_NOT_STOPPED</c>, <c>SENDING_NOT_STARTED</c>) when the state does not allow it.
/// </summary>
public sealed class CancelUnsentEndpoint : IEndpointModule
{
    public const int MaxReasonLength = 200;

    public void Map(IEndpointRouteBuilder app) =>
        app.MapPost("/api/campaigns/{id:long}/pipeline/cancel-unsent", CancelAsync)
            .WithTags("Campaign pipeline")
            .RequireAuthorization(Policies.CancelCampaign);

    private static async Task<IResult> CancelAsync(long id, CancelUnsentRequest? request, HttpContext http, CancelUnsent cancel, CancellationToken ct)
    {
        var reason = request?.Reason?.Trim();
        var problem = CheckReason(reason);
        if (problem is not null)
        {
            return ApiProblem.Validation("reason", problem).ToResult();
        }

        return (await cancel.CancelAsync(id, reason!, AuditActor.From(http), ct)).ToResult(r =>
            Results.Ok(new { cancelledItems = r.CancelledItems, couponsCancelled = r.CouponsCancelled, couponCancelsPending = r.CouponCancelsPending }));
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
