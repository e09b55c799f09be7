using System.Security.Claims;
using CouponDesk.Hosting;
using CouponDesk.Integrations.Coufun;
using CouponDesk.Security;
using CouponDesk.Web.Errors;

namespace CouponDesk.Features.Products;

/// <summary>The 상품 screen's API (spec §3.5): list/search with paging, detail, images, sync status, manual sync.</summary>
public sealed class ProductEndpoints : IEndpointModule
{
    public void Map(IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/products").WithTags("Products");
        group.MapGet("", SearchAsync).RequireAuthorization(Policies.ViewCatalog);
        group.MapGet("/sync", async (ProductQueries queries, CancellationToken ct) => Results.Ok(await queries.SyncStatusAsync(ct)))
            .RequireAuthorization(Policies.ViewCatalog);
        group.MapPost("/sync", SyncAsync).RequireAuthorization(Policies.SyncCatalog);
        group.MapGet("/{goodsId}", async (string goodsId, ProductQueries queries, CancellationToken ct) =>
                CoufunParsers.GoodsIdFormat().IsMatch(goodsId) && await queries.FindAsync(goodsId, ct) is { } detail
                    ? Results.Ok(detail)
                    : ApiProblem.NotFound("상품을 찾을 수 없습니다.").ToResult())
            .RequireAuthorization(Policies.ViewCatalog);
        group.MapGet("/{goodsId}/image", Image).RequireAuthorization(Policies.ViewCatalog);
    }

    /// <summary>
    /// A cached product image with its content hash as ETag (a repeat answers 304). Asked for by its hashed address
    /// (<c>v</c> = the hash) it may be kept a year: that address never changes content. Otherwise the browser revalidates.
    /// Private: the request carries the user's token.
    /// </summary>
    private static IResult Image(string goodsId, string? size, string? v, HttpContext http, ProductImageStore images)
    {
        if (!TryParseSize(size, out var parsed))
        {
            return ApiProblem.Validation("size", "이미지 크기는 small, medium, large 중 하나여야 합니다.").ToResult();
        }

        if (images.GetPath(goodsId, parsed) is not { } path)
        {
            return ApiProblem.NotFound("상품 이미지가 아직 준비되지 않았습니다.").ToResult();
        }

        var hash = images.ContentHash(path);
        http.Response.Headers.CacheControl = v == hash ? "private, max-age=31536000, immutable" : "private, no-cache";
        return Results.File(path, path.EndsWith(".png", StringComparison.Ordinal) ? "image/png" : "image/jpeg",
            entityTag: new Microsoft.Net.Http.Headers.EntityTagHeaderValue($"\"{hash}\""));
    }

    private static async Task<IResult> SearchAsync(string? q, string? brand, string? catId, string? status, string? validEndType, int? minPrice, int? maxPrice, int? page, int? pageSize,
        ProductQueries queries, CancellationToken ct)
    {
        var errors = new Dictionary<string, string[]>();
        if (q is { Length: > 100 } || brand is { Length: > 100 } || catId is { Length: > 10 })
        {
            errors["q"] = ["검색어는 100자 이하로 입력해 주세요."];
        }

        if (status is not (null or "" or ProductStatus.OnSale or ProductStatus.Discontinued))
        {
            errors["status"] = ["상태는 ON_SALE 또는 DISCONTINUED 중 하나여야 합니다."];
        }

        if (validEndType is not (null or "" or "D" or "E"))
        {
            errors["validEndType"] = ["유효기간 유형은 D 또는 E 중 하나여야 합니다."];
        }

        if (minPrice < 0 || maxPrice < 0 || (minPrice > maxPrice && maxPrice is not null))
        {
            errors["minPrice"] = ["가격 범위를 확인해 주세요."];
        }

        if (page is < 1 or > 100_000 || pageSize is < 1 or > 200)
        {
            errors["page"] = ["페이지는 1 이상, 페이지 크기는 1~200 사이여야 합니다."];
        }

        if (errors.Count > 0)
        {
            return ApiProblem.Validation(errors).ToResult();
        }

        return Results.Ok(await queries.SearchAsync(new ProductSearch(q, brand, catId, status, validEndType, minPrice, maxPrice, page ?? 1, pageSize ?? 50), ct));
    }

    private static async Task<IResult> SyncAsync(ClaimsPrincipal user, CatalogSync sync, CancellationToken ct)
    {
        return (await sync.RunAsync(CatalogSync.Manual, user.Identity?.Name, ct)).ToResult(result => result.Outcome == "SUCCEEDED"
            ? Results.Ok(result)
            : new ApiProblem(StatusCodes.Status502BadGateway, "catalog_sync_failed", "Catalog sync failed", result.ErrorKo ?? "동기화하지 못했습니다.").ToResult());
    }

    private static bool TryParseSize(string? size, out ProductImageSize parsed)
    {
        (var ok, parsed) = (size?.ToLowerInvariant() ?? "small") switch
        {
            "small" or "s" => (true, ProductImageSize.Small),
            "medium" or "m" => (true, ProductImageSize.Medium),
            "large" or "b" or "l" => (true, ProductImageSize.Large),
            _ => (false, ProductImageSize.Small),
        };
        return ok;
    }
}
