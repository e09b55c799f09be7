using CouponDesk.Security;
using Microsoft.Playwright;

namespace CouponDesk.Web.Tests;

/// <summary>로그인 (spec §3.1), the forced password change (§2.6) and the session's end (§2.5) in a real browser.</summary>
[Collection(WebUiCollection.Name)]
public sealed class LoginPageTests(WebUiFixture fixture)
{
    [Fact(Timeout = 60_000)]
    public async Task A_first_login_must_change_the_password_then_signs_in_with_the_new_one()
    {
        var account = await fixture.CreateAccountAsync(Roles.Operator, mustChangePassword: true);
        await using var browser = await BrowserSession.OpenAsync(fixture);
        var page = browser.Page;

        await browser.GoAsync("login.html");
        await browser.ScreenshotAsync("login");
        await page.FillAsync("#username", account.LoginId);
        await page.FillAsync("#password", account.Password);
        await page.PressAsync("#password", "Enter");

        await page.WaitForURLAsync("**/password.html");
        await Assertions.Expect(page.Locator("#cd-flash")).ToContainTextAsync("최초 로그인(또는 비밀번호 초기화) 후에는 비밀번호를 변경해야 합니다.");
        // Until the change, no menu is offered and other pages send the user back here.
        Assert.Equal(0, await page.Locator("#cd-menu .nav-link").CountAsync());
        await browser.ScreenshotAsync("password-change");
        await browser.GoAsync("products.html");
        await page.WaitForURLAsync("**/password.html");

        const string newPassword = "Gift#Card2026x";
        await page.FillAsync("#currentPassword", account.Password);
        await page.FillAsync("#newPassword", newPassword);
        await page.FillAsync("#newPasswordConfirm", newPassword + "y");
        await page.ClickAsync("#password-submit");
        await Assertions.Expect(page.Locator("#newPasswordConfirm + .invalid-feedback")).ToHaveTextAsync("새 비밀번호가 일치하지 않습니다.");

        await page.FillAsync("#currentPassword", "Wrong#Pass2026x");
        await page.FillAsync("#newPasswordConfirm", newPassword);
        await page.ClickAsync("#password-submit");
        await Assertions.Expect(page.Locator("#currentPassword + .invalid-feedback")).ToHaveTextAsync("현재 비밀번호가 일치하지 않습니다.");
        await Assertions.Expect(page.Locator("#currentPassword")).ToBeFocusedAsync();

        await page.FillAsync("#currentPassword", account.Password);
        await page.ClickAsync("#password-submit");
        await page.WaitForURLAsync("**/login.html");
        await Assertions.Expect(page.Locator("#login-alert")).ToContainTextAsync("비밀번호가 변경되었습니다. 다시 로그인해 주세요.");

        await browser.LoginAsync(account with { Password = newPassword });
        await Assertions.Expect(page.Locator("h1")).ToHaveTextAsync("대시보드");
        browser.AssertNoErrors();
    }

    [Fact(Timeout = 60_000)]
    public async Task Empty_fields_wrong_passwords_and_the_lockout_show_the_specs_messages()
    {
        var account = await fixture.CreateAccountAsync(Roles.Viewer);
        await using var browser = await BrowserSession.OpenAsync(fixture);
        var page = browser.Page;
        await browser.GoAsync("login.html");

        await page.ClickAsync("#login-submit");
        await Assertions.Expect(page.Locator("#login-alert")).ToHaveTextAsync("아이디와 비밀번호를 모두 입력하세요.");

        await page.FillAsync("#username", account.LoginId);
        for (var i = 1; i <= 4; i++)
        {
            await page.FillAsync("#password", $"Wrong#Pass{i}x");
            await page.ClickAsync("#login-submit");
            await Assertions.Expect(page.Locator("#login-alert")).ToHaveTextAsync("아이디 또는 비밀번호가 올바르지 않습니다.");
            await Assertions.Expect(page.Locator("#login-submit")).ToBeEnabledAsync();
        }

        await page.FillAsync("#password", "Wrong#Pass5x");
        await page.ClickAsync("#login-submit");
        await Assertions.Expect(page.Locator("#login-alert")).ToHaveTextAsync("비밀번호를 5회 잘못 입력하여 계정이 잠겼습니다. 관리자에게 문의하세요.");
        Assert.Equal("", await page.InputValueAsync("#password"));
        Assert.EndsWith("/login.html", page.Url);
        browser.AssertNoErrors();
    }

    [Fact(Timeout = 60_000)]
    public async Task An_expired_session_returns_to_login_with_the_message_and_no_token_left()
    {
        var account = await fixture.CreateAccountAsync(Roles.Operator);
        await using var browser = await BrowserSession.OpenAsync(fixture);
        var page = browser.Page;
        await browser.LoginAsync(account);
        Assert.NotNull(await page.EvaluateAsync<string?>("sessionStorage.getItem('coupondesk.session')"));
        Assert.Null(await page.EvaluateAsync<string?>("localStorage.getItem('coupondesk.session')"));

        await fixture.AgeSessionsAsync(account.Id, TimeSpan.FromMinutes(31));
        await page.ClickAsync("#cd-menu [data-menu=products]");

        await page.WaitForURLAsync("**/login.html");
        await Assertions.Expect(page.Locator("#login-alert")).ToHaveTextAsync("로그인 정보가 만료되었습니다. 다시 로그인해 주세요.");
        Assert.Null(await page.EvaluateAsync<string?>("sessionStorage.getItem('coupondesk.session')"));
        browser.AssertNoErrors();
    }

    [Fact(Timeout = 60_000)]
    public async Task The_idle_warning_offers_to_extend_and_then_logs_out_when_ignored()
    {
        var account = await fixture.CreateAccountAsync(Roles.Viewer);
        await using var browser = await BrowserSession.OpenAsync(fixture);
        var page = browser.Page;
        await browser.LoginAsync(account);

        // The countdown runs in the page: shorten it in this tab's session (the server's 30 minutes stay).
        await page.EvaluateAsync("""
            () => { const s = JSON.parse(sessionStorage.getItem('coupondesk.session'));
                    s.idleTimeoutSeconds = 5; s.warningSeconds = 3;
                    sessionStorage.setItem('coupondesk.session', JSON.stringify(s)); }
            """);
        await page.ReloadAsync();
        var dialog = page.Locator("#cd-idle");
        await Assertions.Expect(dialog).ToBeVisibleAsync();
        await Assertions.Expect(dialog).ToContainTextAsync("2분 후 자동 로그아웃됩니다. 계속 사용하시겠습니까?");
        await browser.ScreenshotAsync("idle-warning");
        await Assertions.Expect(page.Locator("#cd-idle-extend")).ToBeFocusedAsync();
        await page.ClickAsync("#cd-idle-extend");
        await Assertions.Expect(dialog).ToBeHiddenAsync();
        Assert.EndsWith("/index.html", page.Url);

        // Ignored this time: the page logs out by itself.
        await Assertions.Expect(dialog).ToBeVisibleAsync();
        await page.WaitForURLAsync("**/login.html", new PageWaitForURLOptions { Timeout = 10_000 });
        await Assertions.Expect(page.Locator("#login-alert")).ToHaveTextAsync("로그인 정보가 만료되었습니다. 다시 로그인해 주세요.");
        browser.AssertNoErrors();
    }
}
