using CouponDesk.Security;
using Microsoft.Playwright;

namespace CouponDesk.Web.Tests;

/// <summary>What a role may not do is not offered (spec §1.2, §3.0), and a forbidden page by address goes to the dashboard.</summary>
[Collection(WebUiCollection.Name)]
public sealed class RoleMenuTests(WebUiFixture fixture)
{
    [Fact(Timeout = 60_000)]
    public async Task A_viewer_sees_no_registration_and_is_sent_back_from_forbidden_pages()
    {
        var viewer = await fixture.CreateAccountAsync(Roles.Viewer);
        await using var browser = await BrowserSession.OpenAsync(fixture);
        var page = browser.Page;
        await browser.LoginAsync(viewer);

        Assert.Equal(["대시보드", "발송조회", "상품"], await page.Locator("#cd-menu .nav-link").AllInnerTextsAsync());
        Assert.Equal("조회 전용", await page.InnerTextAsync("#cd-user-role"));
        await Assertions.Expect(page.Locator("#dash-register")).ToBeHiddenAsync();

        await browser.GoAsync("register.html");
        await page.WaitForURLAsync("**/index.html");
        await Assertions.Expect(page.Locator("#cd-flash")).ToHaveTextAsync("접근 권한이 없는 메뉴입니다.");
        await Assertions.Expect(page.Locator("h1")).ToHaveTextAsync("대시보드");

        await browser.GoAsync("users.html");
        await page.WaitForURLAsync("**/index.html");
        await Assertions.Expect(page.Locator("#cd-flash")).ToHaveTextAsync("관리자만 접근할 수 있는 페이지입니다. 메인 화면으로 이동합니다.");

        await browser.GoAsync("audit.html");
        await page.WaitForURLAsync("**/index.html");
        await Assertions.Expect(page.Locator("#cd-flash")).ToHaveTextAsync("접근 권한이 없는 메뉴입니다.");

        // No C/S for a VIEWER (spec §1.2 P10, §9 #41): a phone search is a personal-data lookup.
        await browser.GoAsync("cs.html");
        await page.WaitForURLAsync("**/index.html");
        await Assertions.Expect(page.Locator("#cd-flash")).ToHaveTextAsync("접근 권한이 없는 메뉴입니다.");

        // The catalog is open to a viewer, its manual sync is not.
        await page.ClickAsync("#cd-menu [data-menu=products]");
        await Assertions.Expect(page.Locator("#product-table tbody tr").First).ToBeVisibleAsync();
        await Assertions.Expect(page.Locator("#sync-now")).ToBeHiddenAsync();
        browser.AssertNoErrors();
    }

    [Theory(Timeout = 60_000)]
    [InlineData(Roles.Operator, new[] { "대시보드", "발송등록", "발송조회", "발급 확인 필요", "C/S", "상품" })]
    [InlineData(Roles.Admin, new[] { "대시보드", "발송등록", "발송조회", "발급 확인 필요", "C/S", "상품", "사용자관리", "감사로그", "설정" })]
    public async Task Each_role_gets_its_own_menu(string role, string[] expected)
    {
        var account = await fixture.CreateAccountAsync(role);
        await using var browser = await BrowserSession.OpenAsync(fixture);
        await browser.LoginAsync(account);

        Assert.Equal(expected, await browser.Page.Locator("#cd-menu .nav-link").AllInnerTextsAsync());
        await Assertions.Expect(browser.Page.Locator("#dash-register")).ToBeVisibleAsync();
        browser.AssertNoErrors();
    }

    [Fact(Timeout = 60_000)]
    public async Task Logout_asks_first_and_leaves_no_token()
    {
        var account = await fixture.CreateAccountAsync(Roles.Operator);
        await using var browser = await BrowserSession.OpenAsync(fixture);
        var page = browser.Page;
        await browser.LoginAsync(account);

        await page.ClickAsync("#cd-logout");
        var dialog = page.Locator(".modal.show");
        await Assertions.Expect(dialog).ToContainTextAsync("로그아웃 하시겠습니까?");
        await dialog.Locator("button", new LocatorLocatorOptions { HasText = "취소" }).ClickAsync();
        await Assertions.Expect(dialog).ToHaveCountAsync(0);
        Assert.EndsWith("/index.html", page.Url);

        await page.ClickAsync("#cd-logout");
        await page.Locator(".modal.show button", new PageLocatorOptions { HasText = "확인" }).ClickAsync();
        await page.WaitForURLAsync("**/login.html");
        Assert.Null(await page.EvaluateAsync<string?>("sessionStorage.getItem('coupondesk.session')"));

        // The token is gone on the server too: the page does not open again.
        await browser.GoAsync("index.html");
        await page.WaitForURLAsync("**/login.html");
        browser.AssertNoErrors();
    }
}
