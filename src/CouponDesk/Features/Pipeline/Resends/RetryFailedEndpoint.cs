using CouponDesk.Features.Audit;
using CouponDesk.Hosting;
using CouponDesk.Security;

namespace CouponDesk.Features.Pipeline.Resends;

/// <summary>
/// 실패 건 재시도 (P8): <c>POST /api/campaigns/{id}/pipeline/retry-failed</c> (no body) → 200 <c>{"retried": n}</c>;
/// 404 for an unknown campaign; 409 <c>CAMPAIGN_NOT_FINISHED</c> or <c>NOTHING_TO_RETRY</c>.
/// </summary>
public sealed class RetryFailedEndpoint : IEndpointModule
{
    public void Map(IEndpointRouteBuilder app) =>
        app.MapPost("/api/campaigns/{id:long}/pipeline/retry-failed", RetryAsync)
            .WithTags("Campaign pipeline")
            .RequireAuthorization(Policies.ControlCampaign);

    private static async Task<IResult> RetryAsync(long id, HttpContext http, RetryFailed retry, CancellationToken ct) =>
        (await retry.RetryAsync(id, AuditActor.From(http), ct)).ToResult(r => Results.Ok(new { retried = r.Retried }));
}
