using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using CouponDesk.Data.Leases;
using CouponDesk.Features.Products;
using CouponDesk.Security;
using Dapper;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;

namespace CouponDesk.Web.Tests;

/// <summary>
/// Issue 14 point 12, 상품: an empty catalog offers the sync; a sync refused as already running (409) is followed and the
/// list appears when that run ends; product images are cacheable (content-hash address, ETag, 304).
/// </summary>
[Collection(WebUiCollection.Name)]
public sealed class ProductsPageTests(WebUiFixture fixture)
{
    [Fact(Timeout = 240_000)]
    public async Task An_empty_catalog_offers_the_sync_and_a_running_sync_refreshes_the_list_when_it_ends()
    {
        // A back office of its own: the shared one has a catalog already.
        await using var stack = await WebStack.StartAsync("web", syncCatalog: false);
        var host = stack.BackOffice;
        var admin = await stack.CreateAccountAsync(Roles.Admin);
        var viewer = await stack.CreateAccountAsync(Roles.Viewer);

        await using (var viewerBrowser = await BrowserSession.OpenAsync(fixture.Browser, stack.BaseAddress, 1600, 1000))
        {
            await viewerBrowser.LoginAsync(viewer);
            await viewerBrowser.GoAsync("products.html");
            await viewerBrowser.ReadyAsync();
            await Assertions.Expect(viewerBrowser.Page.Locator("#catalog-empty")).ToContainTextAsync("관리자에게 동기화를 요청하세요");
            await Assertions.Expect(viewerBrowser.Page.Locator("#catalog-empty-sync")).ToHaveCountAsync(0);
            viewerBrowser.AssertNoErrors();
        }

        await using var browser = await BrowserSession.OpenAsync(fixture.Browser, stack.BaseAddress, 1600, 1000);
        var page = browser.Page;
        await browser.LoginAsync(admin);
        await browser.GoAsync("products.html");
        await browser.ReadyAsync();
        await Assertions.Expect(page.Locator("#catalog-empty")).ToContainTextAsync("아직 동기화된 상품이 없습니다.");
        await browser.ScreenshotAsync("products-empty");

        // The 04:00 job is running (it holds the sync lease and its run row says RUNNING): the ADMIN's sync is refused.
        var sync = host.Services.GetRequiredService<CatalogSync>();
        await using var job = await stack.OpenAsync();
        var running = await host.Services.GetRequiredService<NamedLeases>().TryAcquireAsync(CatalogSync.LeaseName, TimeSpan.FromMinutes(5), CancellationToken.None);
        Assert.NotNull(running);
        var fakeRun = await job.ExecuteScalarAsync<long>(
            """
            INSERT INTO catalog_sync_runs (trigger_kind, day_kst, started_at, outcome, called_coufun) VALUES ('SCHEDULED', @day, @now, 'RUNNING', 0);
            SELECT LAST_INSERT_ID();
            """, new { day = DateTime.UtcNow.AddHours(9).Date, now = DateTime.UtcNow });
        await page.ClickAsync("#catalog-empty-sync");
        await page.Locator(".modal.show button", new() { HasText = "확인" }).ClickAsync();
        await Assertions.Expect(page.Locator("#sync-alert")).ToContainTextAsync("상품 동기화가 이미 진행 중입니다.");
        await Assertions.Expect(page.Locator("#sync-alert")).ToContainTextAsync("끝나면 목록을 자동으로 새로 고칩니다.");

        // That run ends (here: the real sync runs once the lease is free); the page shows its products by itself.
        await running.DisposeAsync();
        Assert.Equal("SUCCEEDED", (await sync.RunAsync(CatalogSync.Scheduled, null, CancellationToken.None)).Value!.Outcome);
        await job.ExecuteAsync("UPDATE catalog_sync_runs SET outcome = 'FAILED', finished_at = @now WHERE id = @fakeRun", new { fakeRun, now = DateTime.UtcNow });
        await Assertions.Expect(page.Locator("#product-table tbody tr:not(.cd-empty)").First).ToBeVisibleAsync(new() { Timeout = 60_000 });
        await Assertions.Expect(page.Locator("#catalog-empty")).ToHaveCountAsync(0);
        await Assertions.Expect(page.Locator("#sync-alert")).ToBeHiddenAsync();
        browser.AssertNoErrors();
    }

    [Fact(Timeout = 120_000)]
    public async Task Product_images_come_from_the_browser_cache_on_the_next_visit()
    {
        var account = await fixture.CreateAccountAsync(Roles.Viewer);
        await using var browser = await BrowserSession.OpenAsync(fixture, 1600, 1000);
        var page = browser.Page;
        await browser.LoginAsync(account);
        await browser.GoAsync("products.html");
        await browser.ReadyAsync();
        await Assertions.Expect(page.Locator("#product-table img[src^='blob:']").First).ToBeVisibleAsync();
        await Assertions.Expect(page.Locator("#product-table img.cd-img-loading")).ToHaveCountAsync(0);
        var loaded = await page.Locator("#product-table img[src^='blob:']").CountAsync();
        Assert.True(loaded > 0);

        await page.ClickAsync("#cd-menu [data-menu=dashboard]");
        await browser.ReadyAsync();
        await page.ClickAsync("#cd-menu [data-menu=products]");
        await browser.ReadyAsync();
        await Assertions.Expect(page.Locator("#product-table img[src^='blob:']").First).ToBeVisibleAsync();
        await Assertions.Expect(page.Locator("#product-table img.cd-img-loading")).ToHaveCountAsync(0);
        await Assertions.Expect(page.Locator("#product-table img[src^='blob:']")).ToHaveCountAsync(loaded);
        // Resource timing: a fetch answered by the HTTP cache transferred nothing over the network.
        var transferred = await page.EvaluateAsync<int[]>(
            "() => performance.getEntriesByType('resource').filter(e => e.name.includes('/image?')).map(e => e.transferSize)");
        Assert.NotEmpty(transferred);
        Assert.All(transferred, size => Assert.Equal(0, size));
        browser.AssertNoErrors();
    }

    [Fact(Timeout = 60_000)]
    public async Task A_product_image_carries_its_content_hash_and_answers_304_when_unchanged()
    {
        var account = await fixture.CreateAccountAsync(Roles.Viewer);
        using var client = fixture.BackOffice.CreateClient();
        var login = await (await client.PostAsJsonAsync("/api/auth/login", new { username = account.LoginId, password = account.Password })).Content.ReadFromJsonAsync<JsonElement>();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", login.GetProperty("accessToken").GetString());
        var list = await client.GetFromJsonAsync<JsonElement>("/api/products?pageSize=5");
        var url = list.GetProperty("items")[0].GetProperty("imageUrl").GetString()!;
        Assert.Matches(@"^/api/products/\d+/image\?size=small&v=[0-9a-f]{16}$", url);

        using var first = await client.GetAsync(url);
        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        var cache = first.Headers.CacheControl!;
        Assert.True(cache.Private);
        Assert.Equal(TimeSpan.FromDays(365), cache.MaxAge);
        Assert.Contains(cache.Extensions, e => e.Name == "immutable");
        Assert.False(cache.NoStore);
        var etag = first.Headers.ETag!;
        Assert.Equal($"\"{url[^16..]}\"", etag.Tag);

        using var again = new HttpRequestMessage(HttpMethod.Get, url);
        again.Headers.IfNoneMatch.Add(etag);
        using var notModified = await client.SendAsync(again);
        Assert.Equal(HttpStatusCode.NotModified, notModified.StatusCode);
        Assert.Empty(await notModified.Content.ReadAsByteArrayAsync());

        // Without (or with a stale) hash the browser must revalidate; the ETag still saves the body.
        var plain = url[..url.IndexOf("&v=", StringComparison.Ordinal)];
        using var unversioned = await client.GetAsync(plain + "&v=0000000000000000");
        Assert.Equal(HttpStatusCode.OK, unversioned.StatusCode);
        Assert.True(unversioned.Headers.CacheControl!.Private);
        Assert.True(unversioned.Headers.CacheControl.NoCache);
        Assert.Null(unversioned.Headers.CacheControl.MaxAge);
        using var revalidate = new HttpRequestMessage(HttpMethod.Get, plain);
        revalidate.Headers.IfNoneMatch.Add(etag);
        Assert.Equal(HttpStatusCode.NotModified, (await client.SendAsync(revalidate)).StatusCode);
    }
}
