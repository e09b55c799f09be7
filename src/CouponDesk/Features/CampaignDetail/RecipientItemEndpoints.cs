using System.Globalization;
using CouponDesk.Features.Audit;
using CouponDesk.Hosting;
using CouponDesk.Security;
using CouponDesk.Security.Pii;
using CouponDesk.Web.Errors;

namespace CouponDesk.Features.CampaignDetail;

/// <summary>
/// The recipient table of 발송 상세 (spec §3.3.3): <c>GET /api/campaigns/{id}/items?filter=&amp;q=&amp;cursor=&amp;limit=</c>,
/// one masked row per delivery item, keyset paging by item id. A search is audited with its masked key and result count.
/// </summary>
public sealed class RecipientItemEndpoints : IEndpointModule
{
    public const string UnknownFilter = "unknown_filter";
    public const string InvalidSearch = "invalid_search";
    public const string InvalidCursor = "invalid_cursor";
    public const string InvalidLimit = "invalid_limit";
    private const int MaxLimit = 100;

    public void Map(IEndpointRouteBuilder app) =>
        app.MapGet("/api/campaigns/{id:long}/items", ListAsync).WithTags("Campaigns").RequireAuthorization(Policies.ViewCampaigns);

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
