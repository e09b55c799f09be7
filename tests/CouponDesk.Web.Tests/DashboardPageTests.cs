using CouponDesk.Security;
using Microsoft.Playwright;

namespace CouponDesk.Web.Tests;

/// <summary>
/// Issue 9's end-to-end page test: an operator registers a campaign in the browser, submits it, and watches it complete
/// on the dashboard against the COUFUN and SNAP stand-ins — live bars from the event stream, then today's counts and
/// success rate. Every wait is on visible state (or the campaign's own state), never on a clock.
/// </summary>
[Collection(WebUiCollection.Name)]
public sealed class DashboardPageTests(WebUiFixture fixture)
{
    private static readonly string[] Phones = ["010-0000-3001", "010-0000-3002", "010-0000-3003"];

    [Fact(Timeout = 240_000)]
    public async Task An_operator_registers_a_campaign_and_watches_it_complete_on_the_dashboard()
    {
        var operatorAccount = await fixture.CreateAccountAsync(Roles.Operator);
        var eventName = "대시보드 이벤트 " + Guid.NewGuid().ToString("N")[..8];
        await using var browser = await BrowserSession.OpenAsync(fixture, 1920, 1080);
        var page = browser.Page;
        await browser.LoginAsync(operatorAccount);
        await page.ClickAsync("#cd-menu [data-menu=register]");
        await browser.ReadyAsync();

        await RegisterForm.FillClientAsync(page, eventName, RegisterForm.Tomorrow("10:00"));
        await RegisterForm.PickProductAsync(page, "아메리카노");
        await RegisterForm.FillMessageAsync(page);
        await RegisterForm.QuickEntryAsync(page, Phones);
        var (confirmation, id) = await RegisterForm.SubmitAsync(page);
        Assert.Contains("총 3개의 휴대폰 번호로 발송이 됩니다.", confirmation, StringComparison.Ordinal);
        await page.ClickAsync("#cd-menu [data-menu=dashboard]");
        await browser.ReadyAsync();

        // The form only accepts a send time at least the preparation lead ahead; bring this one to "in 40 seconds",
        // starting now, so the test watches the whole run: 준비중 with the bars filling, then 발송중, then the results.
        await fixture.Stack.BringForwardAsync(id, TimeSpan.FromSeconds(40));
        await fixture.Stack.WaitForStatusAsync(id, "ISSUING", "SENDING", "COMPLETED");
        await page.ClickAsync("#dash-refresh");
        var card = page.Locator($"[data-campaign='{id}']");
        if (await fixture.Stack.CampaignStatusAsync(id) != "COMPLETED")
        {
            await Assertions.Expect(card).ToContainTextAsync(eventName, new() { Timeout = 30_000 });
            await Assertions.Expect(card.Locator("[data-stage=queued] .cd-stage-count")).ToHaveTextAsync("3 / 3", new() { Timeout = 90_000 });
            await Assertions.Expect(card).ToHaveAttributeAsync("data-live", "stream", new() { Timeout = 30_000 });
            await browser.ScreenshotAsync("dashboard-live");
        }

        // Complete: the stream ends, the card leaves the list and today's cards count the three deliveries.
        await Assertions.Expect(card).ToHaveCountAsync(0, new() { Timeout = 150_000 });
        await Assertions.Expect(page.Locator("#today-succeeded")).ToHaveTextAsync("3", new() { Timeout = 60_000 });
        await Assertions.Expect(page.Locator("#stat-today")).ToHaveTextAsync("3");
        await Assertions.Expect(page.Locator("#today-failed")).ToHaveTextAsync("0");
        await Assertions.Expect(page.Locator("#stat-success")).ToHaveTextAsync("100.0%");
        await Assertions.Expect(page.Locator("#failure-table tbody")).ToContainTextAsync("실패가 없습니다");
        await Assertions.Expect(page.Locator("#dash-health")).ToContainTextAsync("SNAP Agent");
        Assert.Equal("COMPLETED", await fixture.Stack.CampaignStatusAsync(id));
        await browser.ScreenshotAsync("dashboard-complete");

        // Nothing personal on the dashboard: none of the recipients' numbers, in any spelling.
        var text = await page.Locator("main").InnerTextAsync();
        Assert.All(Phones, phone =>
        {
            Assert.DoesNotContain(phone, text, StringComparison.Ordinal);
            Assert.DoesNotContain(phone.Replace("-", "", StringComparison.Ordinal), text, StringComparison.Ordinal);
        });

        await browser.GoAsync($"campaign.html?id={id}");
        await browser.ReadyAsync();
        await Assertions.Expect(page.Locator("#progress-stats")).ToContainTextAsync("완료", new() { Timeout = 30_000 });
        browser.AssertNoErrors();
    }
}
