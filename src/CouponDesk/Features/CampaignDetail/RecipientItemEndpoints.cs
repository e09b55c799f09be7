using System.Globalization;
using CouponDesk.Features.Audit;
using CouponDesk.Hosting;
using CouponDesk.Security;
using CouponDesk.Security.Pii;
using CouponDesk.Web.Errors;

namespace CouponDesk.Features.CampaignDetail;

/// <summary>
/// The recipient table of 발송 상세 (spec §3.3.3): <c>GET /api/campaigns/{id}/items?filter=&amp;cursor=&amp;limit=</c>, and
/// <c>POST /api/campaigns/{id}/items/search</c> with the same fields and the search key <c>q</c> in the body — a phone or
/// coupon number in a URL would end up in proxy and access logs. One masked row per delivery item, keyset paging by item
/// id. A search is audited with its masked key and result count.
/// </summary>
public sealed class RecipientItemEndpoints : IEndpointModule
{
    public const string UnknownFilter = "unknown_filter";
    public const string InvalidSearch = "invalid_search";
    public const string InvalidCursor = "invalid_cursor";
    public const string InvalidLimit = "invalid_limit";
    public const string SearchInBody = "search_in_body";
    private const int MaxLimit = 100;

    public void Map(IEndpointRouteBuilder app)
    {
        app.MapGet("/api/campaigns/{id:long}/items", (long id, string? filter, string? cursor, string? limit, HttpContext http, RecipientItems items, PiiProtector pii, AuditTrail audit, CancellationToken ct) =>
            http.Request.Query.ContainsKey("q")
                ? Task.FromResult(Bad(SearchInBody, "q", "검색어(휴대폰 번호·쿠폰번호)는 주소에 넣을 수 없습니다. 검색 요청으로 보내세요."))
                : ListAsync(id, filter, null, cursor, limit, http, items, pii, audit, ct))
            .WithTags("Campaigns").RequireAuthorization(Policies.ViewCampaigns);
        app.MapPost("/api/campaigns/{id:long}/items/search", (long id, RecipientItemSearchRequest? body, HttpContext http, RecipientItems items, PiiProtector pii, AuditTrail audit, CancellationToken ct) =>
            ListAsync(id, body?.Filter, body?.Q, body?.Cursor, body?.Limit?.ToString(CultureInfo.InvariantCulture), http, items, pii, audit, ct))
            .WithTags("Campaigns").RequireAuthorization(Policies.ViewCampaigns).WithMetadata(new Microsoft.AspNetCore.Mvc.RequestSizeLimitAttribute(16 * 1024));
    }

    private static async Task<IResult> ListAsync(
        long id, string? filter, string? q, string? cursor, string? limit, HttpContext http, RecipientItems items, PiiProtector pii, AuditTrail audit, CancellationToken ct)
    {
        filter = string.IsNullOrEmpty(filter) ? "all" : filter;
        if (!RecipientItems.Filters.ContainsKey(filter))
        {
            return Bad(UnknownFilter, "filter", "알 수 없는 조회 구분입니다. 전체, 실패만, 발급실패, 미교환, 교환 중에서 선택하세요.");
        }

        var search = ItemSearch.Parse(q, pii, out var searchError);
        if (searchError is not null)
        {
            return Bad(InvalidSearch, "q", searchError);
        }

        long? after = null;
        if (!string.IsNullOrEmpty(cursor))
        {
            if (cursor.Length > 19 || !long.TryParse(cursor, NumberStyles.None, CultureInfo.InvariantCulture, out var parsed) || parsed <= 0)
            {
                return Bad(InvalidCursor, "cursor", "잘못된 페이지 위치입니다. 처음부터 다시 조회하세요.");
            }

            after = parsed;
        }

        var take = 50;
        if (!string.IsNullOrEmpty(limit) && (!int.TryParse(limit, NumberStyles.None, CultureInfo.InvariantCulture, out take) || take is < 1 or > MaxLimit))
        {
            return Bad(InvalidLimit, "limit", KeysetPage.LimitMessage(MaxLimit));
        }

        if (!await items.CampaignExistsAsync(id, ct))
        {
            return ApiProblem.NotFound("발송 건을 찾을 수 없습니다.").ToResult();
        }

        var page = await items.PageAsync(id, filter, search, after, take, ct);
        if (search is not null && after is null)
        {
            // A search looks at whose data is in the campaign: audited with the masked key only (spec §3.4.1, §3.7).
            await audit.WriteAsync(AuditActor.From(http).Entry("campaign.items_searched") with
            {
                TargetType = "campaign",
                TargetId = id.ToString(CultureInfo.InvariantCulture),
                Subject = search.MaskedKey,
                Details = new Dictionary<string, string?> { ["filter"] = filter, ["results"] = page.Total.ToString(CultureInfo.InvariantCulture) },
            }, ct);
        }

        return Results.Ok(page);
    }

    private static IResult Bad(string code, string field, string detail) =>
        new ApiProblem(StatusCodes.Status400BadRequest, code, "Bad request", detail) { Errors = new Dictionary<string, string[]> { [field] = [detail] } }.ToResult();
}

/// <summary>The recipient table's search (JSON, camelCase): the key stays out of the URL.</summary>
public sealed record RecipientItemSearchRequest(string? Filter, string? Q, string? Cursor, int? Limit);
