using System.Globalization;
using CouponDesk.Features.Audit;
using CouponDesk.Hosting;
using CouponDesk.Security;
using CouponDesk.Security.Masking;
using CouponDesk.Security.Pii;
using CouponDesk.Web.Errors;
using Microsoft.AspNetCore.Mvc;

namespace CouponDesk.Features.CustomerService;

/// <summary>
/// C/S reads (spec §3.4.1–§3.4.2, §7.4): the search, the detail panel, the coupon image and 원문 보기. Each is a
/// personal-data access: audited with whose data (masked) and counted towards the hourly security alert. Clear values
/// leave only through the two reveal endpoints, each behind its own policy (phone: ADMIN/OPERATOR, coupon: ADMIN) and
/// with a reason.
/// </summary>
public sealed class CsEndpoints : IEndpointModule
{
    public void Map(IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/cs").WithTags("C/S");
        group.MapPost("/search", (CsSearchRequest? body, HttpContext http, CsSearch search, PiiProtector pii, CsOptions options, PersonalDataAccess access, CancellationToken ct) =>
            SearchAsync(body ?? new(null, null, null, null), http, search, pii, options, access, ct)).RequireAuthorization(Policies.CsSearch).WithMetadata(new RequestSizeLimitAttribute(16 * 1024));
        group.MapGet("/items/{id:long}", DetailAsync).RequireAuthorization(Policies.CsSearch);
        group.MapGet("/items/{id:long}/image", ImageAsync).RequireAuthorization(Policies.CsSearch);
        group.MapPost("/items/{id:long}/reveal-phone", (long id, CsRevealRequest? request, HttpContext http, CsReveal reveal, PersonalDataAccess access, CancellationToken ct) =>
            RevealAsync(id, request, http, "phone", reveal.PhoneAsync, access, ct)).RequireAuthorization(Policies.RevealPhone).WithMetadata(new RequestSizeLimitAttribute(16 * 1024));
        group.MapPost("/items/{id:long}/reveal-coupon-number", (long id, CsRevealRequest? request, HttpContext http, CsReveal reveal, PersonalDataAccess access, CancellationToken ct) =>
            RevealAsync(id, request, http, "couponNumber", reveal.CouponNumberAsync, access, ct)).RequireAuthorization(Policies.RevealCouponNumber).WithMetadata(new RequestSizeLimitAttribute(16 * 1024));
    }

    private static async Task<IResult> SearchAsync(
        CsSearchRequest body, HttpContext http, CsSearch search, PiiProtector pii, CsOptions options, PersonalDataAccess access, CancellationToken ct)
    {
        var query = CsQuery.Parse(body.Phone, body.CouponNumber, pii, out var error);
        if (query is null)
        {
            return new ApiProblem(StatusCodes.Status400BadRequest, error!.Code, "Bad request", error.Message) { Errors = new Dictionary<string, string[]> { [error.Field] = [error.Message] } }.ToResult();
        }

        CsCursor? after = null;
        if (!string.IsNullOrEmpty(body.Cursor))
        {
            if (!CsCursor.TryParse(body.Cursor, out var parsed))
            {
                return ApiProblem.Validation("cursor", "잘못된 페이지 위치입니다. 처음부터 다시 조회하세요.").ToResult();
            }

            after = parsed;
        }

        var take = body.Limit ?? options.PageSize;
        if (take is < 1 or > 100)
        {
            return ApiProblem.Validation("limit", "한 번에 1~100건까지 조회할 수 있습니다.").ToResult();
        }

        var page = await search.SearchAsync(query, after, take, ct);
        if (after is null)
        {
            // Whose data was looked for, masked, and how many items it found (spec §3.4.1).
            var actor = AuditActor.From(http);
            await access.RecordAsync(actor, actor.Entry(PersonalDataAccess.Searched) with
            {
                TargetType = "cs",
                Subject = query.MaskedKey,
                Details = new Dictionary<string, string?>
                {
                    ["results"] = page.Total.ToString(CultureInfo.InvariantCulture),
                    ["scheduled"] = page.Scheduled.Count.ToString(CultureInfo.InvariantCulture),
                },
            }, ct);
        }

        return page.Total == 0 && page.Scheduled.Count == 0
            ? Results.Ok(page with { Message = "조건에 해당하는 쿠폰을 찾을 수 없습니다." })
            : Results.Ok(page);
    }

    private static async Task<IResult> DetailAsync(long id, HttpContext http, CsDetail detail, PersonalDataAccess access, CancellationToken ct)
    {
        var admin = http.User.IsInRole(Roles.Admin);
        var item = await detail.GetAsync(id, canRevealPhone: true, canRevealCoupon: admin, ct);
        if (item is null)
        {
            return CsActionFrame.NotFound.ToResult();
        }

        var actor = AuditActor.From(http);
        await access.RecordAsync(actor, actor.Entry(PersonalDataAccess.Viewed) with
        {
            TargetType = "delivery_item",
            TargetId = id.ToString(CultureInfo.InvariantCulture),
            Subject = item.Row.Phone,
            Details = new Dictionary<string, string?> { ["campaign"] = item.Row.CampaignId.ToString(CultureInfo.InvariantCulture) },
        }, ct);
        return Results.Ok(item);
    }

    private static async Task<IResult> ImageAsync(long id, HttpContext http, CsImages images, CsDetail detail, PersonalDataAccess access, CancellationToken ct)
    {
        var row = await detail.RowAsync(id, ct);
        var jpeg = row is null ? null : await images.GetAsync(id, ct);
        if (row is null || jpeg is null)
        {
            return ApiProblem.NotFound("이 건에는 쿠폰 이미지가 없습니다.").ToResult();
        }

        var actor = AuditActor.From(http);
        await access.RecordAsync(actor, actor.Entry(PersonalDataAccess.ImageViewed) with
        {
            TargetType = "delivery_item",
            TargetId = id.ToString(CultureInfo.InvariantCulture),
            Subject = row.Phone,
            Details = new Dictionary<string, string?> { ["campaign"] = row.CampaignId.ToString(CultureInfo.InvariantCulture), ["coupon"] = row.CouponNumber },
        }, ct);
        http.Response.Headers.CacheControl = "no-store";
        return Results.File(jpeg, "image/jpeg");
    }

    private static async Task<IResult> RevealAsync(
        long id, CsRevealRequest? request, HttpContext http, string field, Func<long, CancellationToken, Task<CsReveal.Revealed?>> read, PersonalDataAccess access, CancellationToken ct)
    {
        var errors = new Dictionary<string, string[]>();
        var reason = CsInput.RevealReason(request, errors);
        if (errors.Count > 0)
        {
            return ApiProblem.Validation(errors, errors.First().Value[0]).ToResult();
        }

        var revealed = await read(id, ct);
        if (revealed is null)
        {
            return ApiProblem.NotFound(field == "phone" ? "표시할 휴대폰 번호가 없습니다 (파기되었거나 없는 건)." : "표시할 쿠폰번호가 없습니다.").ToResult();
        }

        var actor = AuditActor.From(http);
        await access.RecordAsync(actor, actor.Entry(PersonalDataAccess.Revealed) with
        {
            TargetType = "delivery_item",
            TargetId = id.ToString(CultureInfo.InvariantCulture),
            Subject = field == "phone" ? Masking.Phone(revealed.Value) : Masking.CouponNumber(revealed.Value),
            Reason = reason,
            Details = new Dictionary<string, string?> { ["field"] = field, ["campaign"] = revealed.CampaignId.ToString(CultureInfo.InvariantCulture) },
        }, ct);
        http.Response.Headers.CacheControl = "no-store";
        return Results.Ok(new { field, value = revealed.Value });
    }
}
