using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using CouponDesk.Features.Products;
using CouponDesk.Security;
using Microsoft.Extensions.DependencyInjection;

namespace CouponDesk.Tests.Features.Products;

/// <summary>Catalog sync against the running stand-in, through the API and directly (the Quartz job's work).</summary>
public sealed class CatalogSyncTests(ProductsFactory factory) : IClassFixture<ProductsFactory>
{
    private static async Task<JsonElement> Json(HttpResponseMessage response, HttpStatusCode expected)
    {
        Assert.Equal(expected, response.StatusCode);
        return await response.Content.ReadFromJsonAsync<JsonElement>();
    }

    [Fact]
    public async Task A_sync_loads_the_catalog_tracks_changes_and_discontinues_what_is_no_longer_offered()
    {
        var admin = await factory.CreateClientAsync(Roles.Admin);

        var first = await Json(await admin.PostAsync("/api/products/sync", null), HttpStatusCode.OK);
        Assert.Equal("SUCCEEDED", first.GetProperty("outcome").GetString());
        var page = await Json(await admin.GetAsync("/api/products?pageSize=200"), HttpStatusCode.OK);
        Assert.True(page.GetProperty("total").GetInt32() >= 50);
        var image = await factory.Services.GetRequiredService<ProductImageStore>().GetBytesAsync("0000000101");
        Assert.NotNull(image);
        Assert.Equal(0xFF, image![0]);

        // The supplier raises a price and withdraws a product.
        (await factory.StandIn.Client.PutAsJsonAsync("_control/products/0000000102", new { price = 4999 })).EnsureSuccessStatusCode();
        (await factory.StandIn.Client.PutAsJsonAsync("_control/products/0000000103", new { listed = false })).EnsureSuccessStatusCode();
        var second = await Json(await admin.PostAsync("/api/products/sync", null), HttpStatusCode.OK);
        (await factory.StandIn.Client.PutAsJsonAsync("_control/products/0000000103", new { listed = true })).EnsureSuccessStatusCode();

        Assert.Equal("SUCCEEDED", second.GetProperty("outcome").GetString());
        var changed = await Json(await admin.GetAsync("/api/products/0000000102"), HttpStatusCode.OK);
        Assert.Equal(4999, changed.GetProperty("product").GetProperty("price").GetInt32());
        Assert.Contains(changed.GetProperty("changes").EnumerateArray(), c => c.GetProperty("field").GetString() == "price" && c.GetProperty("newValue").GetString() == "4999");
        var gone = await Json(await admin.GetAsync("/api/products/0000000103"), HttpStatusCode.OK);
        Assert.Equal("DISCONTINUED", gone.GetProperty("product").GetProperty("status").GetString());
        var status = await Json(await admin.GetAsync("/api/products/sync"), HttpStatusCode.OK);
        var last = status.GetProperty("lastRun");
        Assert.Equal((1, 1), (last.GetProperty("changed").GetInt32(), last.GetProperty("discontinued").GetInt32()));
    }

    [Fact]
    public async Task Products_are_searched_by_name_brand_and_status_with_paging()
    {
        var viewer = await factory.CreateClientAsync(Roles.Viewer);
        await factory.Services.GetRequiredService<CatalogSync>().RunAsync(CatalogSync.Manual, "test", CancellationToken.None);

        var byName = await Json(await viewer.GetAsync("/api/products?q=" + Uri.EscapeDataString("똠얌꿍")), HttpStatusCode.OK);
        var byBrand = await Json(await viewer.GetAsync("/api/products?brand=" + Uri.EscapeDataString("배스킨31") + "&pageSize=2&page=2"), HttpStatusCode.OK);

        Assert.Equal(1, byName.GetProperty("total").GetInt32());
        Assert.Equal("발송일로부터 60일", byName.GetProperty("items")[0].GetProperty("validity").GetString());
        Assert.Equal(4, byBrand.GetProperty("total").GetInt32());
        Assert.Equal(2, byBrand.GetProperty("items").GetArrayLength());
        Assert.Equal(HttpStatusCode.OK, (await viewer.GetAsync("/api/products/0000000101/image?size=small")).StatusCode);
    }

    [Theory]
    [InlineData("/api/products?status=SOLD")]
    [InlineData("/api/products?validEndType=X")]
    [InlineData("/api/products?pageSize=100000")]
    [InlineData("/api/products?minPrice=5&maxPrice=1")]
    [InlineData("/api/products/0000000101/image?size=huge")]
    public async Task Bad_filters_are_validation_problems(string url)
    {
        var problem = await Json(await (await factory.CreateClientAsync(Roles.Viewer)).GetAsync(url), HttpStatusCode.BadRequest);

        Assert.Equal("validation_failed", problem.GetProperty("code").GetString());
    }

    [Theory]
    [InlineData("/api/products/..%2F..%2Fetc")]
    [InlineData("/api/products/0000000101%27%20OR%201%3D1")]
    [InlineData("/api/products/9999999999")]
    public async Task Hostile_or_unknown_ids_are_not_found(string url) =>
        await Json(await (await factory.CreateClientAsync(Roles.Viewer)).GetAsync(url), HttpStatusCode.NotFound);

    [Theory]
    [InlineData(Roles.Operator)]
    [InlineData(Roles.Viewer)]
    public async Task Only_an_admin_may_start_a_sync(string role)
    {
        var response = await (await factory.CreateClientAsync(role)).PostAsync("/api/products/sync", null);

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
    }

    [Fact]
    public async Task Anonymous_callers_see_no_products() =>
        Assert.Equal(HttpStatusCode.Unauthorized, (await factory.CreateClient().GetAsync("/api/products")).StatusCode);

    [Fact]
    public async Task A_supplier_failure_keeps_the_last_good_catalog_and_says_why()
    {
        var sync = factory.Services.GetRequiredService<CatalogSync>();
        await sync.RunAsync(CatalogSync.Manual, "test", CancellationToken.None);
        await factory.StandIn.SetFaultsAsync(new { forcedCodeRate = 1.0, forcedCode = "99", endpoints = new[] { "product" }, remaining = 1 });

        var response = await (await factory.CreateClientAsync(Roles.Admin)).PostAsync("/api/products/sync", null);

        var problem = await Json(response, HttpStatusCode.BadGateway);
        Assert.Equal("catalog_sync_failed", problem.GetProperty("code").GetString());
        Assert.Contains("이전 상품 목록을 계속 사용합니다", problem.GetProperty("detail").GetString());
        var page = await Json(await (await factory.CreateClientAsync(Roles.Viewer)).GetAsync("/api/products?status=ON_SALE&pageSize=1"), HttpStatusCode.OK);
        Assert.True(page.GetProperty("total").GetInt32() >= 49);
    }
}

/// <summary>The manual-run limit (spec §3.5) and the scheduled run's once-a-day rule.</summary>
public sealed class CatalogSyncLimitTests(OneManualRunFactory factory) : IClassFixture<OneManualRunFactory>
{
    [Fact]
    public async Task A_manual_sync_beyond_the_daily_limit_is_refused_with_a_reason_and_the_scheduled_run_happens_once()
    {
        var admin = await factory.CreateClientAsync(Roles.Admin);

        Assert.Equal(HttpStatusCode.OK, (await admin.PostAsync("/api/products/sync", null)).StatusCode);
        var refused = await admin.PostAsync("/api/products/sync", null);
        var problem = await refused.Content.ReadFromJsonAsync<JsonElement>();

        Assert.Equal(HttpStatusCode.TooManyRequests, refused.StatusCode);
        Assert.Equal("manual_sync_limit", problem.GetProperty("code").GetString());
        Assert.Equal("오늘 수동 동기화 가능 횟수를 모두 사용했습니다.", problem.GetProperty("detail").GetString());

        var sync = factory.Services.GetRequiredService<CatalogSync>();
        var scheduled = await sync.RunScheduledAsync(CancellationToken.None);
        var retryAt0430 = await sync.RunScheduledAsync(CancellationToken.None);
        Assert.Equal("SUCCEEDED", scheduled!.Value!.Outcome);
        Assert.Null(retryAt0430);
    }
}
