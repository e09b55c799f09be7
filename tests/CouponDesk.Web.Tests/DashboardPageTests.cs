using System.Globalization;
using CouponDesk.Data;
using CouponDesk.Security;
using CouponDesk.Shared.Time;
using Dapper;
using Microsoft.Extensions.DependencyInjection;
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

        await page.FillAsync("#clientName", "한빛상사");
        if (await page.InputValueAsync("#salesManager") == "")
        {
            await page.FillAsync("#salesManager", "김영업");
        }

        await page.FillAsync("#clientRequester", "홍길동");
        await page.FillAsync("#requesterEmail", "buyer@example.com");
        await page.FillAsync("#eventName", eventName);
        var tomorrow = DateOnly.FromDateTime(Kst.Now(TimeProvider.System)).AddDays(1).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        await page.EvaluateAsync($"document.querySelector('#scheduledAt')._flatpickr.setDate('{tomorrow} 10:00', true)");
        await page.ClickAsync("#product-search-open");
        await page.FillAsync("#picker-q", "아메리카노");
        await page.PressAsync("#picker-q", "Enter");
        await Assertions.Expect(page.Locator("#picker-table tbody tr").First).ToContainTextAsync("아메리카노", new() { Timeout = 30_000 });
        await page.Locator("#picker-table tbody tr button").First.ClickAsync();
        await Assertions.Expect(page.Locator("#productName")).ToHaveValueAsync(new System.Text.RegularExpressions.Regex("아메리카노"));
        await page.FillAsync("#mmsTitle", "감사 쿠폰");
        await page.FillAsync("#mmsBody", "쿠폰을 매장에서 보여 주세요.");
        await page.FillAsync("#recipientList", string.Join('\n', Phones));
        await page.ClickAsync("#quick-register");
        await Assertions.Expect(page.Locator("#recipient-summary")).ToContainTextAsync("정상 3건", new() { Timeout = 30_000 });

        await page.ClickAsync("#reg-submit");
        await Assertions.Expect(page.Locator(".modal.show")).ToContainTextAsync("총 3개의 휴대폰 번호로 발송이 됩니다.", new() { Timeout = 30_000 });
        await page.Locator(".modal.show button", new PageLocatorOptions { HasText = "발송" }).Last.ClickAsync();
        await page.WaitForURLAsync("**/index.html");
        await browser.ReadyAsync();

        // The form only accepts a send time at least the preparation lead ahead; bring this one to "in 40 seconds",
        // starting now, so the test watches the whole run: 준비중 with the bars filling, then 발송중, then the results.
        var id = await BringForwardAsync(eventName);
        await WaitForStatusAsync(id, "ISSUING", "SENDING", "COMPLETED");
        await page.ClickAsync("#dash-refresh");
        var card = page.Locator($"[data-campaign='{id}']");
        if (await StatusAsync(id) != "COMPLETED")
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
        Assert.Equal("COMPLETED", await StatusAsync(id));
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

    private async Task<long> BringForwardAsync(string eventName)
    {
        await using var c = await fixture.BackOffice.Services.GetRequiredService<DbConnectionFactory>().OpenAsync();
        var now = DateTime.UtcNow;
        var id = await c.ExecuteScalarAsync<long>("SELECT id FROM campaigns WHERE event_name = @eventName AND status = 'SCHEDULED'", new { eventName });
        Assert.NotEqual(0, id);
        Assert.Equal(1, await c.ExecuteAsync(
            "UPDATE campaigns SET scheduled_at = @sendAt, start_at = @now WHERE id = @id AND status = 'SCHEDULED'",
            new { id, sendAt = now.AddSeconds(40), now }));
        return id;
    }

    private async Task<string> StatusAsync(long id)
    {
        await using var c = await fixture.BackOffice.Services.GetRequiredService<DbConnectionFactory>().OpenAsync();
        return await c.ExecuteScalarAsync<string>("SELECT status FROM campaigns WHERE id = @id", new { id }) ?? "";
    }

    /// <summary>Waits (bounded by the test's timeout) until the pipeline moved the campaign on.</summary>
    private async Task WaitForStatusAsync(long id, params string[] states)
    {
        while (Array.IndexOf(states, await StatusAsync(id)) < 0)
        {
            await Task.Delay(200);
        }
    }
}
