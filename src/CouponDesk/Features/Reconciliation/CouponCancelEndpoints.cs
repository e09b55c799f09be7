using CouponDesk.Features.Audit;
using CouponDesk.Hosting;
using CouponDesk.Security;
using CouponDesk.Web.Errors;
using Microsoft.AspNetCore.Mvc;

namespace CouponDesk.Features.Reconciliation;

/// <summary>
/// 공급사 취소 실패 (spec §4.1 C13 "listed for an ADMIN", §5.8 cancel follow-up): the coupon cancels COUFUN refused or the
/// follow-up gave up on — seen by ADMIN and OPERATOR like the in-doubt orders (P23), retried or resolved by an ADMIN with
/// a reason, audited.
/// </summary>
public sealed class CouponCancelEndpoints : IEndpointModule
{
    private const int MaxLimit = 100;

    public void Map(IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/reconciliation/coupon-cancels").WithTags("Coupon cancels");
        group.MapGet("", ListAsync).RequireAuthorization(Policies.ViewInDoubtOrders);
        group.MapGet("/{couponId:long}", async (long couponId, CouponCancelQueries queries, CancellationToken ct) =>
            await queries.GetAsync(couponId, ct) is { } item ? Results.Ok(item) : NotFound().ToResult()).RequireAuthorization(Policies.ViewInDoubtOrders);
        // A reason is at most 500 characters; Kestrel refuses more than 16 KB while reading the body.
        group.MapPost("/{couponId:long}/retry", RetryAsync).RequireAuthorization(Policies.SettleInDoubtOrders).WithMetadata(new RequestSizeLimitAttribute(16 * 1024));
        group.MapPost("/{couponId:long}/resolve", ResolveAsync).RequireAuthorization(Policies.SettleInDoubtOrders).WithMetadata(new RequestSizeLimitAttribute(16 * 1024));
    }

    private static async Task<IResult> ListAsync(string? state, long? cursor, int? limit, CouponCancelQueries queries, CancellationToken ct)
    {
        var errors = new Dictionary<string, string[]>();
        if (state is not null && !CouponCancelFilter.Values.Contains(state, StringComparer.Ordinal))
        {
            errors["state"] = ["상태는 open, GAVE_UP, REFUSED, resolved, all 중 하나여야 합니다."];
        }

        KeysetPage.Check(errors, cursor, limit, MaxLimit);

        return errors.Count > 0
            ? ApiProblem.Validation(errors).ToResult()
            : Results.Ok(await queries.ListAsync(state ?? CouponCancelFilter.Open, cursor, limit ?? 50, ct));
    }

    private static async Task<IResult> RetryAsync(long couponId, CouponCancelActionRequest? request, HttpContext http, CouponCancelActions actions, CancellationToken ct)
    {
        var (reason, errors) = CouponCancelReason.Check(request);
        return reason is null
            ? ApiProblem.Validation(errors).ToResult()
            : Answer(await actions.RetryAsync(couponId, reason, AuditActor.From(http), ct),
                "CANCEL_NOT_GAVE_UP", "자동 재시도가 중단된 취소만 다시 시도할 수 있습니다. 화면을 새로 고쳐 현재 상태를 확인해 주세요.");
    }

    private static async Task<IResult> ResolveAsync(long couponId, CouponCancelActionRequest? request, HttpContext http, CouponCancelActions actions, CancellationToken ct)
    {
        var (reason, errors) = CouponCancelReason.Check(request);
        return reason is null
            ? ApiProblem.Validation(errors).ToResult()
            : Answer(await actions.ResolveAsync(couponId, reason, AuditActor.From(http), ct),
                "CANCEL_NOT_OPEN", "처리가 필요한 상태(자동 재시도 중단, 공급사 취소 거절)가 아닙니다. 화면을 새로 고쳐 현재 상태를 확인해 주세요.");
    }

    private static IResult Answer(CouponCancelActionResult result, string conflictCode, string conflict) => result.Outcome switch
    {
        CouponCancelOutcome.Done => Results.Ok(result.Item),
        CouponCancelOutcome.NotFound => NotFound().ToResult(),
        _ => ApiProblem.Conflict(conflictCode, conflict).ToResult(),
    };

    private static ApiProblem NotFound() => ApiProblem.NotFound("공급사 취소 대상 쿠폰을 찾을 수 없습니다.");
}
