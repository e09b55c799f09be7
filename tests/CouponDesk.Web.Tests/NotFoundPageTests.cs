using System.Net;
using System.Net.Http.Headers;
using CouponDesk.Security;
using Microsoft.Playwright;

namespace CouponDesk.Web.Tests;

/// <summary>
/// Issue 14 point 13: an unknown address in the page space (menus not in this release, typos, any depth) gets the
/// Korean 404 page in the layout with a way back; API paths keep their problem+json 404.
/// </summary>
[Collection(WebUiCollection.Name)]
public sealed class NotFoundPageTests(WebUiFixture fixture)
{
    [Fact(Timeout = 120_000)]
    public async Task An_unknown_page_shows_the_korean_404_page_in_the_layout_with_a_way_back()
    {
        var account = await fixture.CreateAccountAsync(Roles.Operator);
        await using var browser = await BrowserSession.OpenAsync(fixture, 1280, 800);
        var page = browser.Page;
        await browser.LoginAsync(account);

        foreach (var path in new[] { "reports.html", "approval.html", "campaingns.html", "campaigns/2026/typo" })
        {
            var response = await browser.GoAsync(path);
            Assert.Equal(404, response!.Status);
            Assert.StartsWith("text/html", await response.HeaderValueAsync("content-type"), StringComparison.Ordinal);
            await browser.ReadyAsync();
            await Assertions.Expect(page.Locator("#not-found-title")).ToHaveTextAsync("요청하신 페이지를 찾을 수 없습니다.");
            // In the layout: the operator's menu and name, the page's own styles (loaded from the root at any depth).
            await Assertions.Expect(page.Locator("#cd-menu [data-menu=campaigns]")).ToBeVisibleAsync();
            await Assertions.Expect(page.Locator("#cd-user-name")).ToHaveTextAsync(account.LoginId);
            Assert.NotEqual("rgba(0, 0, 0, 0)", await page.EvalOnSelectorAsync<string>("#not-found-home", "e => getComputedStyle(e).backgroundColor"));
        }

        await browser.ScreenshotAsync("not-found");
        // The way back: to the page before, and to the dashboard.
        await page.ClickAsync("#not-found-back");
        await page.WaitForURLAsync("**/campaingns.html");
        await browser.ReadyAsync();
        await page.ClickAsync("#not-found-home");
        await page.WaitForURLAsync("**/index.html");
        await browser.ReadyAsync();
        AssertOnlyTheDocumentsWereMissing(browser);
    }

    [Fact(Timeout = 60_000)]
    public async Task Without_a_session_the_404_page_leads_to_the_login_page()
    {
        await using var browser = await BrowserSession.OpenAsync(fixture, 1280, 800);
        var page = browser.Page;
        var response = await browser.GoAsync("reports.html");
        Assert.Equal(404, response!.Status);
        await Assertions.Expect(page.Locator("#not-found-title")).ToHaveTextAsync("요청하신 페이지를 찾을 수 없습니다.");
        await Assertions.Expect(page.Locator("#cd-menu")).ToHaveCountAsync(0);
        await page.ClickAsync("#not-found-home");
        await page.WaitForURLAsync("**/login.html");
        AssertOnlyTheDocumentsWereMissing(browser);
    }

    [Theory]
    [InlineData("/api/nope", "text/html")]
    [InlineData("/api/nope", "application/json")]
    [InlineData("/api/campaigns/999999999", "text/html")]
    [InlineData("/health/nope", "text/html")]
    [InlineData("/nope.html", "application/json")]
    [InlineData("/js/missing.js", "*/*")]
    public async Task Api_paths_and_non_page_requests_keep_the_problem_details_404(string path, string accept)
    {
        using var client = new HttpClient { BaseAddress = fixture.BaseAddress };
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue(accept));
        using var response = await client.SendAsync(request);
        Assert.True(response.StatusCode is HttpStatusCode.NotFound or HttpStatusCode.Unauthorized, $"{path}: {response.StatusCode}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    /// <summary>Chromium reports the 404 document itself as a failed resource; nothing else may fail.</summary>
    private static void AssertOnlyTheDocumentsWereMissing(BrowserSession browser) =>
        Assert.All(browser.Errors, e => Assert.Equal("console: Failed to load resource: the server responded with a status of 404 (Not Found)", e));
}
