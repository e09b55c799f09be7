using System.Globalization;
using System.Text.RegularExpressions;
using CouponDesk.Shared.Time;
using Microsoft.Playwright;

namespace CouponDesk.Web.Tests;

/// <summary>The steps of 발송등록 (spec §3.2) the browser tests share: what an operator types, picks and clicks.</summary>
public static class RegisterForm
{
    /// <summary>A new account of <paramref name="role"/>, signed in, on an empty 발송등록 page.</summary>
    public static async Task<BrowserSession> OpenAsync(WebUiFixture fixture, string role)
    {
        var account = await fixture.CreateAccountAsync(role);
        var browser = await BrowserSession.OpenAsync(fixture, 1920, 1080);
        await browser.LoginAsync(account);
        await browser.GoAsync("register.html");
        await browser.ReadyAsync();
        return browser;
    }

    /// <summary>Tomorrow at <paramref name="time"/> KST as the form writes it: always past the preparation lead.</summary>
    public static string Tomorrow(string time) =>
        DateOnly.FromDateTime(Kst.Now(TimeProvider.System)).AddDays(1).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) + " " + time;

    /// <summary>Section 1: 고객사, 요청자, 이메일, 이벤트명 and a send time through the picker's own API.</summary>
    public static async Task FillClientAsync(IPage page, string eventName, string sendAt)
    {
        await page.FillAsync("#clientName", "한빛상사");
        if (await page.InputValueAsync("#salesManager") == "")
        {
            await page.FillAsync("#salesManager", "김영업");
        }

        await page.FillAsync("#clientRequester", "홍길동");
        await page.FillAsync("#requesterEmail", "buyer@example.com");
        await page.FillAsync("#eventName", eventName);
        await page.EvaluateAsync("t => document.querySelector('#scheduledAt')._flatpickr.setDate(t, true)", sendAt);
    }

    /// <summary>Picks the first on-sale product whose name matches <paramref name="query"/> in the 상품 검색 dialog.</summary>
    public static async Task PickProductAsync(IPage page, string query)
    {
        await page.ClickAsync("#product-search-open");
        await page.FillAsync("#picker-q", query);
        await page.PressAsync("#picker-q", "Enter");
        await Assertions.Expect(page.Locator("#picker-table tbody tr").First).ToContainTextAsync(query, new() { Timeout = 30_000 });
        await page.Locator("#picker-table tbody tr button").First.ClickAsync();
        await Assertions.Expect(page.Locator("#productName")).ToHaveValueAsync(new Regex(Regex.Escape(query)));
    }

    public static async Task FillMessageAsync(IPage page, string title = "감사 쿠폰", string body = "쿠폰을 매장에서 보여 주세요.")
    {
        await page.FillAsync("#mmsTitle", title);
        await page.FillAsync("#mmsBody", body);
    }

    /// <summary>간편등록: the numbers one a line, then 수신자 등록, waiting for the server's summary.</summary>
    public static async Task QuickEntryAsync(IPage page, IReadOnlyList<string> phones)
    {
        await page.FillAsync("#recipientList", string.Join('\n', phones));
        await page.ClickAsync("#quick-register");
        await Assertions.Expect(page.Locator("#recipient-summary")).ToContainTextAsync($"정상 {phones.Count}건", new() { Timeout = 30_000 });
    }

    /// <summary>
    /// 저장/발송 through its confirmation dialog(s); returns the send dialog's text. The page then opens the new
    /// campaign's detail (issue 14 point 7); the campaign id from its address is returned too.
    /// </summary>
    public static async Task<(string Confirmation, long CampaignId)> SubmitAsync(IPage page, bool withRecipientErrors = false)
    {
        await page.ClickAsync("#reg-submit");
        if (withRecipientErrors)
        {
            // "오류 {E}건을 제외하고 정상 {V}건으로 진행하시겠습니까?" (spec §3.2.3) comes first.
            var errors = page.Locator(".modal.show", new PageLocatorOptions { HasText = "수신자 확인" });
            await Assertions.Expect(errors).ToContainTextAsync("제외하고 정상", new() { Timeout = 30_000 });
            await errors.Locator("button", new LocatorLocatorOptions { HasText = "확인" }).ClickAsync();
        }

        var dialog = page.Locator(".modal.show", new PageLocatorOptions { HasText = "발송 확인" });
        await Assertions.Expect(dialog).ToContainTextAsync("정말 발송하시겠습니까?", new() { Timeout = 30_000 });
        var text = await dialog.InnerTextAsync();
        await dialog.Locator("button", new LocatorLocatorOptions { HasText = "발송" }).Last.ClickAsync();
        await page.WaitForURLAsync("**/campaign.html?id=*", new PageWaitForURLOptions { WaitUntil = WaitUntilState.Commit, Timeout = 60_000 });
        await page.Locator("body:not(.cd-pending) #cd-menu").WaitForAsync();
        var id = long.Parse(new Uri(page.Url).Query.Split('=')[1], CultureInfo.InvariantCulture);
        return (text, id);
    }
}
