using System.Net.Http.Json;
using CouponDesk.Data;
using CouponDesk.Features.Coupons;
using CouponDesk.Security;
using CouponDesk.Security.Pii;
using CouponDesk.TestSupport;
using Dapper;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;

namespace CouponDesk.Web.Tests;

/// <summary>
/// The C/S page (spec §3.4) in Chromium against the pipeline and both stand-ins: search by phone, coupon number and
/// last 4 + phone; the expanded row; 원문 보기 with a reason; each action through its modal; a disabled button's reason;
/// the page at 390 px; and two browsers clicking the same button at once. Phones 010-0000-0940… (this class only).
/// </summary>
[Collection(WebUiCollection.Name)]
public sealed class CsPageTests(WebUiFixture fixture)
{
    [Fact(Timeout = 240_000)]
    public async Task An_operator_finds_a_coupon_and_resends_notes_discards_and_moves_it()
    {
        var campaign = await DeliveredAsync(3, 940);
        var operatorAccount = await fixture.CreateAccountAsync(Roles.Operator);
        var (first, second, third) = (await ItemAsync(campaign, 1), await ItemAsync(campaign, 2), await ItemAsync(campaign, 3));
        var number = await CouponNumberAsync(first);

        await using var browser = await BrowserSession.OpenAsync(fixture, 1920, 1080);
        var page = browser.Page;
        await browser.LoginAsync(operatorAccount);
        await page.ClickAsync("#cd-menu [data-menu=cs]");
        await page.WaitForURLAsync("**/cs.html");
        await browser.ReadyAsync();

        // A search needs a key; a bad phone is refused with the spec's message.
        await page.ClickAsync("#cs-search");
        await Assertions.Expect(page.Locator("#cs-search-form [data-role=form-alert]")).ToHaveTextAsync("쿠폰번호 또는 휴대폰 번호를 입력하세요.");
        await page.FillAsync("#phone", "0212345678");
        await page.ClickAsync("#cs-search");
        await Assertions.Expect(page.Locator("#cs-search-form")).ToContainTextAsync("휴대폰 번호 형식이 올바르지 않습니다.");

        // By phone: one row, masked, with its counters and buttons.
        await SearchAsync(page, "010-0000-0940", "");
        var row = Row(page, first);
        await Assertions.Expect(row).ToContainTextAsync("010-****-0940");
        await Assertions.Expect(row).ToContainTextAsync("**** **** " + number[^4..]);
        await Assertions.Expect(row).ToContainTextAsync("미교환");
        await Assertions.Expect(row).ToContainTextAsync("0/3");
        await Assertions.Expect(row).ToContainTextAsync("0/2");
        await Assertions.Expect(page.Locator("#cs-count")).ToHaveTextAsync("조회 결과 (표시 1 / 전체 1건)");
        Assert.DoesNotContain(number, await page.ContentAsync(), StringComparison.Ordinal);

        // 재발송 with a memo.
        await row.Locator("[data-action=resend]").ClickAsync();
        var dialog = page.Locator(".cs-modal.show");
        await Assertions.Expect(dialog).ToContainTextAsync(" 쿠폰을 재발송 하시겠습니까?");
        await Assertions.Expect(dialog).ToContainTextAsync("전화번호·주소 등 개인정보는 입력하지 마세요.");
        await dialog.Locator("#cs-memo").FillAsync("문자를 못 받았다는 문의");
        await dialog.Locator("[data-role=submit]").ClickAsync();
        await Assertions.Expect(page.Locator(".cs-modal")).ToHaveCountAsync(0);
        await Assertions.Expect(row).ToContainTextAsync("1/3");
        await WaitForStatusAsync(first, "SENT");

        // The expanded row: 쿠폰 정보, 발송 이력 (two messages), CS 처리 이력 with the memo; 원문 보기 with a reason.
        await SearchAsync(page, "01000000940", "");
        await row.Locator("td").Nth(1).ClickAsync();
        var panel = page.Locator($"tr.cs-detail[data-item='{first}'] [data-role=panel]");
        await Assertions.Expect(panel).ToContainTextAsync("교환권");
        await Assertions.Expect(panel).ToContainTextAsync("C/S 재발송");
        await Assertions.Expect(panel).ToContainTextAsync("문자를 못 받았다는 문의");
        await Assertions.Expect(panel.Locator("[data-action=reveal-coupon]")).ToHaveCountAsync(0); // an OPERATOR sees no coupon number
        await panel.Locator("[data-action=reveal-phone]").ClickAsync();
        dialog = page.Locator(".cs-modal.show");
        await dialog.Locator("[data-role=submit]").ClickAsync();
        await Assertions.Expect(dialog).ToContainTextAsync("원문 보기 사유를 선택하세요.");
        await dialog.Locator("#cs-reveal-reason").SelectOptionAsync("CUSTOMER_CHECK");
        await dialog.Locator("[data-role=submit]").ClickAsync();
        await Assertions.Expect(panel.Locator("[data-role=panel-phone]")).ToHaveTextAsync("01000000940");
        await browser.ScreenshotAsync("ui-cs-expanded");
        await row.Locator("td").Nth(1).ClickAsync(); // closing the panel forgets the revealed value
        await Assertions.Expect(page.Locator("tr.cs-detail")).ToHaveCountAsync(0);
        Assert.DoesNotContain("01000000940", await page.ContentAsync(), StringComparison.Ordinal);

        // 기타: a memo only.
        await row.Locator("[data-action=memo]").ClickAsync();
        dialog = page.Locator(".cs-modal.show");
        await dialog.Locator("[data-role=submit]").ClickAsync();
        await Assertions.Expect(dialog).ToContainTextAsync("상담 내용을 입력해주세요.");
        await dialog.Locator("#cs-memo").FillAsync("재발송 후 수신 확인");
        await dialog.Locator("[data-role=submit]").ClickAsync();
        await Assertions.Expect(page.Locator(".cs-modal")).ToHaveCountAsync(0);

        // By coupon number, and by its last 4 with the phone; a used coupon's buttons say why they are off.
        // 상태 새로고침 asks COUFUN: the coupon was used at a store meanwhile.
        var secondNumber = await CouponNumberAsync(second);
        (await fixture.StandIn.CouponEventAsync("use", secondNumber)).EnsureSuccessStatusCode();
        await SearchAsync(page, "", secondNumber);
        await Assertions.Expect(page.Locator("#cs-table tr.cs-row")).ToHaveCountAsync(1);
        var used = Row(page, second);
        await used.Locator("td").Nth(1).ClickAsync();
        await page.Locator($"tr.cs-detail[data-item='{second}'] [data-action=refresh]").ClickAsync();
        await Assertions.Expect(used).ToContainTextAsync("교환");
        await Assertions.Expect(page.Locator($"tr.cs-detail[data-item='{second}'] [data-role=panel]")).ToContainTextAsync("수동 조회(C/S)");
        var disabled = used.Locator("[data-action-disabled=discard]");
        await Assertions.Expect(disabled).ToHaveAttributeAsync("data-reason", "이미 사용된 쿠폰입니다.");
        await disabled.HoverAsync();
        await Assertions.Expect(page.Locator(".tooltip")).ToContainTextAsync("이미 사용된 쿠폰입니다.");
        await Assertions.Expect(used.Locator("[data-action=memo]")).ToBeEnabledAsync();

        // 쿠폰폐기 needs a reason.
        var thirdNumber = await CouponNumberAsync(third);
        await SearchAsync(page, "01000000942", thirdNumber[^4..]);
        var discarded = Row(page, third);
        await discarded.Locator("[data-action=discard]").ClickAsync();
        dialog = page.Locator(".cs-modal.show");
        await Assertions.Expect(dialog).ToContainTextAsync("폐기된 쿠폰은 복구할 수 없습니다.");
        await dialog.Locator("[data-role=submit]").ClickAsync();
        await Assertions.Expect(dialog).ToContainTextAsync("폐기 사유를 선택하세요.");
        await dialog.Locator("#cs-reason-WRONG_SEND").CheckAsync();
        await dialog.Locator("[data-role=submit]").ClickAsync();
        await Assertions.Expect(page.Locator(".cs-modal")).ToHaveCountAsync(0);
        await Assertions.Expect(discarded).ToContainTextAsync("폐기");
        Assert.Equal("100", (await StandInCouponAsync(thirdNumber)).Status);

        // 번호변경 after delivery: the old coupon is cancelled at COUFUN, a new one goes to the new number.
        await SearchAsync(page, "01000000940", "");
        await row.Locator("[data-action=changeNumber]").ClickAsync();
        dialog = page.Locator(".cs-modal.show");
        await Assertions.Expect(dialog.Locator("#cs-current-phone")).ToHaveValueAsync("010-****-0940");
        await dialog.Locator("#cs-new-phone").FillAsync("01000000940");
        await Assertions.Expect(dialog).ToContainTextAsync("기존 쿠폰은 취소되고 새 쿠폰이 발급됩니다.");
        await dialog.Locator("[data-role=submit]").ClickAsync();
        await Assertions.Expect(dialog).ToContainTextAsync("번호가 동일합니다. 확인 후 다시 입력하세요.");
        await dialog.Locator("#cs-new-phone").FillAsync("01000000949");
        await dialog.Locator("[data-role=submit]").ClickAsync();
        await Assertions.Expect(page.Locator(".cs-modal")).ToHaveCountAsync(0);
        await Assertions.Expect(page.Locator("#cs-table tr.cs-row")).ToHaveCountAsync(2);
        await Assertions.Expect(row).ToContainTextAsync("번호변경");
        Assert.Equal("100", (await StandInCouponAsync(number)).Status);
        browser.AssertNoErrors();

        // 390 px: each result is a card; the panel still opens.
        await using var narrow = await BrowserSession.OpenAsync(fixture, 1280, 800);
        await narrow.LoginAsync(operatorAccount); // the login helper waits for the full menu, which 390 px folds away
        await narrow.Page.SetViewportSizeAsync(390, 844);
        await narrow.GoAsync("cs.html");
        await narrow.Page.Locator("body:not(.cd-pending) #cs-search-form").WaitForAsync();
        await Assertions.Expect(narrow.Page.Locator(".navbar-toggler")).ToBeVisibleAsync();
        await SearchAsync(narrow.Page, "01000000940", "");
        var card = Row(narrow.Page, first);
        await Assertions.Expect(card).ToBeVisibleAsync();
        var box = await card.BoundingBoxAsync();
        Assert.True(box!.Width <= 390, $"a result row is {box.Width} px wide at 390 px");
        Assert.Equal(390, await narrow.Page.EvaluateAsync<int>("document.documentElement.scrollWidth"));
        await card.Locator("td").Nth(1).ClickAsync();
        await Assertions.Expect(narrow.Page.Locator($"tr.cs-detail[data-item='{first}'] [data-role=panel]")).ToContainTextAsync("번호변경 계보");
        await narrow.ScreenshotAsync("ui-cs-expanded");
        narrow.AssertNoErrors();
    }

    [Fact(Timeout = 240_000)]
    public async Task Two_browsers_clicking_resend_together_act_once_a_round_up_to_the_limit()
    {
        var campaign = await DeliveredAsync(1, 950);
        var item = await ItemAsync(campaign, 1);
        var operatorA = await fixture.CreateAccountAsync(Roles.Operator);
        var operatorB = await fixture.CreateAccountAsync(Roles.Admin);
        await using var a = await BrowserSession.OpenAsync(fixture, 1600, 900);
        await using var b = await BrowserSession.OpenAsync(fixture, 1600, 900);
        await a.LoginAsync(operatorA);
        await b.LoginAsync(operatorB);
        await a.GoAsync("cs.html");
        await b.GoAsync("cs.html");
        await a.ReadyAsync();
        await b.ReadyAsync();

        for (var round = 1; round <= 4; round++)
        {
            await WaitForStatusAsync(item, "SENT");
            await SearchAsync(a.Page, "01000000950", "");
            await SearchAsync(b.Page, "01000000950", "");
            if (round == 4)
            {
                foreach (var page in new[] { a.Page, b.Page })
                {
                    await Assertions.Expect(Row(page, item).Locator("[data-action-disabled=resend]")).ToHaveAttributeAsync("data-reason", "재발송 가능 횟수(3회)를 모두 사용했습니다.");
                }

                break;
            }

            await Row(a.Page, item).Locator("[data-action=resend]").ClickAsync();
            await Row(b.Page, item).Locator("[data-action=resend]").ClickAsync();
            var dialogA = a.Page.Locator(".cs-modal.show");
            var dialogB = b.Page.Locator(".cs-modal.show");
            await Assertions.Expect(dialogA).ToBeVisibleAsync();
            await Assertions.Expect(dialogB).ToBeVisibleAsync();
            await Task.WhenAll(dialogA.Locator("[data-role=submit]").ClickAsync(), dialogB.Locator("[data-role=submit]").ClickAsync());
            await Assertions.Expect(a.Page.Locator(".cs-modal")).ToHaveCountAsync(0);
            await Assertions.Expect(b.Page.Locator(".cs-modal")).ToHaveCountAsync(0);
            // The one that lost sees why, and its row shows the current state.
            var loser = await a.Page.Locator("#cs-alert").IsVisibleAsync() ? a.Page : b.Page;
            await Assertions.Expect(loser.Locator("#cs-alert")).ToContainTextAsync("이 건의 상태가 바뀌었습니다");
            await Assertions.Expect(Row(loser, item)).ToContainTextAsync(round + "/3");
            Assert.Equal(round, await ScalarAsync<int>("SELECT COUNT(*) FROM messages WHERE recipient_id = @item AND message_type = 'CS_RESEND'", new { item }));
        }

        a.AssertNoErrors();
        b.AssertNoErrors();
    }

    private static ILocator Row(IPage page, long item) => page.Locator($"#cs-table tr.cs-row[data-item='{item}']");

    private static async Task SearchAsync(IPage page, string phone, string coupon)
    {
        await page.FillAsync("#phone", phone);
        await page.FillAsync("#couponNumber", coupon);
        var answered = page.WaitForResponseAsync(r => r.Url.Contains("/api/cs/search", StringComparison.Ordinal));
        await page.ClickAsync("#cs-search");
        await answered;
        await Assertions.Expect(page.Locator("#cs-search")).ToBeEnabledAsync();
    }

    private async Task<long> DeliveredAsync(int recipients, int firstPhone)
    {
        var services = fixture.BackOffice.Services;
        var campaign = await PipelineCampaigns.ScheduleAsync(services.GetRequiredService<DbConnectionFactory>(), services.GetRequiredService<PiiProtector>(), recipients, firstPhone: firstPhone);
        for (var i = 0; i < 900; i++)
        {
            if (await ScalarAsync<string>("SELECT status FROM campaigns WHERE id = @campaign", new { campaign }) == "COMPLETED")
            {
                return campaign;
            }

            await Task.Delay(100);
        }

        throw new TimeoutException($"campaign {campaign} did not complete");
    }

    private Task<long> ItemAsync(long campaign, int seq) => ScalarAsync<long>("SELECT id FROM delivery_items WHERE campaign_id = @campaign AND seq = @seq", new { campaign, seq });

    private async Task<string> CouponNumberAsync(long item) =>
        (await fixture.BackOffice.Services.GetRequiredService<CouponRepository>().RevealNumberAsync(await ScalarAsync<long>("SELECT coupon_id FROM delivery_items WHERE id = @item", new { item })))!;

    private async Task WaitForStatusAsync(long item, string status)
    {
        for (var i = 0; i < 600 && await ScalarAsync<string>("SELECT status FROM delivery_items WHERE id = @item", new { item }) != status; i++)
        {
            await Task.Delay(100);
        }
    }

    private sealed record StandInCoupon(string Status);

    private async Task<StandInCoupon> StandInCouponAsync(string number)
    {
        var response = await fixture.StandIn.Client.PostAsJsonAsync("_control/coupons/find", new { barcodeNum = number });
        return (await response.Content.ReadFromJsonAsync<StandInCoupon>())!;
    }

    private async Task<T> ScalarAsync<T>(string sql, object args)
    {
        await using var c = await fixture.BackOffice.Services.GetRequiredService<DbConnectionFactory>().OpenAsync();
        return (await c.ExecuteScalarAsync<T>(sql, args))!;
    }
}
