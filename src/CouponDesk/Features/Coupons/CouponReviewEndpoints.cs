using CouponDesk.Features.Audit;
using CouponDesk.Hosting;
using CouponDesk.Security;
using CouponDesk.Web.Errors;

namespace CouponDesk.Features.Coupons;

/// <summary>
/// 쿠폰 상태 확인 (ADMIN): <c>GET /api/coupons/status-reviews?state=open|all&amp;cursor=&amp;limit=</c> lists flagged status-history
/// rows newest first; <c>POST /api/coupons/status-reviews/{id}/acknowledge</c> marks one reviewed (audited).
/// </summary>
public sealed class CouponReviewEndpoints : IEndpointModule
{
    private const int MaxLimit = 100;

    public void Map(IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/coupons/status-reviews").WithTags("Coupon status");
        group.MapGet("", ListAsync).RequireAuthorization(Policies.SettleInDoubtOrders);
        group.MapPost("/{id:long}/acknowledge", async (long id, HttpContext http, CouponReviews reviews, CancellationToken ct) =>
            (await reviews.AcknowledgeAsync(id, AuditActor.From(http), ct)).ToResult(() => Results.NoContent())).RequireAuthorization(Policies.SettleInDoubtOrders);
    }

    private static async Task<IResult> ListAsync(string? state, long? cursor, int? limit, CouponReviews reviews, CancellationToken ct)
    {
        var errors = new Dictionary<string, string[]>();
        if (state is not (null or "open" or "all"))
        {
            errors["state"] = ["상태는 open, all 중 하나여야 합니다."];
        }

        KeysetPage.Check(errors, cursor, limit, MaxLimit);
        return errors.Count > 0
            ? ApiProblem.Validation(errors).ToResult()
            : Results.Ok(await reviews.ListAsync(state != "all", cursor, limit ?? 50, ct));
    }
}
