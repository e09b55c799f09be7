using CouponDesk.Security;
using Microsoft.Playwright;

namespace CouponDesk.Web.Tests;

/// <summary>발송등록: leaving a form with unsaved changes asks first (beforeunload); once saved as a draft it does not.</summary>
[Collection(WebUiCollection.Name)]
public sealed class RegisterUnsavedChangesTests(WebUiFixture fixture)
{
    [Fact(Timeout = 90_000)]
    public async Task Leaving_an_unsaved_form_asks_first_and_a_saved_one_leaves_freely()
    {
        var operatorAccount = await fixture.CreateAccountAsync(Roles.Operator);
        await using var browser = await BrowserSession.OpenAsync(fixture);
        var page = browser.Page;
        await browser.LoginAsync(operatorAccount);
        await page.ClickAsync("#cd-menu [data-menu=register]");
        await browser.ReadyAsync();

        var asked = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        page.Dialog += async (_, dialog) =>
        {
            asked.TrySetResult(dialog.Type);
            await dialog.DismissAsync(); // "stay on this page"
        };

        // Typed (a user gesture, as the browser requires for the prompt) but not saved: the menu link is held up.
        // A real click first: Chromium asks on leaving only after a trusted user gesture, and Fill sends none (the
        // prompt sometimes never came on a loaded machine).
        await page.ClickAsync("#clientName");
        await page.FillAsync("#clientName", "한빛상사");
        await page.FillAsync("#eventName", "나가기 확인 " + Guid.NewGuid().ToString("N")[..6]);
        await page.ClickAsync("#cd-menu [data-menu=dashboard]");
        Assert.Equal("beforeunload", await asked.Task.WaitAsync(TimeSpan.FromSeconds(30)));
        Assert.Contains("register.html", page.Url, StringComparison.Ordinal);
        Assert.Equal("한빛상사", await page.InputValueAsync("#clientName"));

        // Saved as a draft: nothing to lose, the page leaves without asking.
        await page.ClickAsync("#reg-draft");
        await Assertions.Expect(page.Locator("#reg-state")).ToContainTextAsync("임시저장 #", new() { Timeout = 30_000 });
        var navigated = page.WaitForURLAsync("**/index.html", new PageWaitForURLOptions { WaitUntil = WaitUntilState.Commit, Timeout = 60_000 });
        await page.ClickAsync("#cd-menu [data-menu=dashboard]");
        await navigated;
        await browser.ReadyAsync();
        browser.AssertNoErrors();
    }
}
