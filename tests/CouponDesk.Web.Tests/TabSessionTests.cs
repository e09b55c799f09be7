using CouponDesk.Data;
using CouponDesk.Security;
using Dapper;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;

namespace CouponDesk.Web.Tests;

/// <summary>
/// Issue 14 point 3: the tabs of one browser share one sign-in (spec §2.5 counts sessions per user, not per tab).
/// A Ctrl+click opens a signed-in tab on the same server session, a typed address does too, activity in one tab keeps
/// the others from idling out, and logging out in one tab signs every tab out. The server's rules stay as they are:
/// one session row, ended by the logout.
/// </summary>
[Collection(WebUiCollection.Name)]
public sealed class TabSessionTests(WebUiFixture fixture)
{
    private const string Ready = "body:not(.cd-pending) #cd-menu";

    [Fact(Timeout = 120_000)]
    public async Task Tabs_of_one_browser_share_the_session_its_idle_time_and_its_logout()
    {
        var account = await fixture.CreateAccountAsync(Roles.Operator);
        await using var browser = await BrowserSession.OpenAsync(fixture);
        var first = browser.Page;
        await browser.LoginAsync(account);

        // Ctrl+click on a link: the new tab opens signed in, on the same server session.
        var opened = browser.Context.WaitForPageAsync();
        await first.ClickAsync("#cd-menu [data-menu=campaigns]", new PageClickOptions { Modifiers = [KeyboardModifier.Control] });
        var second = await opened;
        await second.Locator(Ready).WaitForAsync();
        Assert.EndsWith("/campaigns.html", second.Url);
        Assert.Equal(1, await OpenSessionsAsync(account.Id));

        // The first tab still works (the second did not log in again and end its session).
        await first.ClickAsync("#cd-menu [data-menu=products]");
        await first.WaitForURLAsync("**/products.html");
        await first.Locator(Ready).WaitForAsync();

        // A typed address in a new tab, and the login page itself, find the shared session as well.
        var third = await browser.Context.NewPageAsync();
        await third.GotoAsync(new Uri(browser.BaseAddress, "register.html").ToString());
        await third.Locator(Ready).WaitForAsync();
        Assert.EndsWith("/register.html", third.Url);
        await third.GotoAsync(new Uri(browser.BaseAddress, "login.html").ToString());
        await third.WaitForURLAsync("**/index.html");
        await third.Locator(Ready).WaitForAsync();
        await third.CloseAsync();
        Assert.Equal(1, await OpenSessionsAsync(account.Id));

        // Idle time counts activity in any tab: the first tab's warning closes when the second one is used.
        // (The countdown runs in the page: this tab's copy is shortened so that its warning shows at once.)
        await SetIdleAsync(first, idleSeconds: 600, warningSeconds: 598);
        var warning = first.Locator("#cd-idle");
        await Assertions.Expect(warning).ToBeVisibleAsync();
        await second.ClickAsync("#cd-menu [data-menu=dashboard]");
        await second.Locator(Ready).WaitForAsync();
        await Assertions.Expect(warning).ToBeHiddenAsync();
        await SetIdleAsync(first, idleSeconds: 1800, warningSeconds: 120);

        // Logout in the second tab: the first one leaves too, with a word why, and no token is left anywhere.
        await second.ClickAsync("#cd-logout");
        await second.Locator(".modal.show button", new PageLocatorOptions { HasText = "확인" }).ClickAsync();
        await second.WaitForURLAsync("**/login.html");
        await first.WaitForURLAsync("**/login.html");
        await Assertions.Expect(first.Locator("#login-alert")).ToContainTextAsync("로그아웃되었습니다.");
        Assert.Null(await first.EvaluateAsync<string?>("sessionStorage.getItem('coupondesk.session')"));
        Assert.Null(await second.EvaluateAsync<string?>("sessionStorage.getItem('coupondesk.session')"));
        Assert.Equal(0, await OpenSessionsAsync(account.Id));

        // Signed out everywhere: a new tab has nobody to ask and shows the login page, not an "expired" message.
        var fourth = await browser.Context.NewPageAsync();
        await fourth.GotoAsync(new Uri(browser.BaseAddress, "campaigns.html").ToString());
        await fourth.WaitForURLAsync("**/login.html");
        await Assertions.Expect(fourth.Locator("#login-alert")).Not.ToContainTextAsync("만료");
        browser.AssertNoErrors();
    }

    private static async Task SetIdleAsync(IPage page, int idleSeconds, int warningSeconds) =>
        await page.EvaluateAsync(
            """
            ([idle, warning]) => {
              const s = JSON.parse(sessionStorage.getItem('coupondesk.session'));
              s.idleTimeoutSeconds = idle; s.warningSeconds = warning;
              sessionStorage.setItem('coupondesk.session', JSON.stringify(s));
              CD.idle.schedule();
            }
            """,
            new[] { idleSeconds, warningSeconds });

    private async Task<int> OpenSessionsAsync(long userId)
    {
        await using var connection = await fixture.BackOffice.Services.GetRequiredService<DbConnectionFactory>().OpenAsync();
        return await connection.ExecuteScalarAsync<int>("SELECT COUNT(*) FROM auth_sessions WHERE user_id = @userId AND ended_at IS NULL", new { userId });
    }
}
