using System.Globalization;
using System.Text;
using CouponDesk.Features.Campaigns;
using CouponDesk.Security;
using CouponDesk.Shared.Time;
using Microsoft.Playwright;

namespace CouponDesk.Web.Tests;

/// <summary>발송등록 (spec §3.2) through the page: counters, product picker, recipients with bad rows, preview, submit.</summary>
[Collection(WebUiCollection.Name)]
public sealed class RegisterPageTests(WebUiFixture fixture)
{
    [Fact(Timeout = 120_000)]
    public async Task An_operator_registers_a_campaign_from_a_file_with_bad_rows_and_submits_it()
    {
        // The fixture has no night window (its C/S tests must not depend on the time of day); this test needs
        // 설정's default 21:00–08:00, set through 설정 before the page reads it.
        using var admin = await fixture.AdminApiAsync();
        await WebUiFixture.ChangeSettingsAsync(admin, new Dictionary<string, object?> { ["Campaigns:NightStartHour"] = 21, ["Campaigns:NightEndHour"] = 8 });
        try
        {
            var operatorAccount = await fixture.CreateAccountAsync(Roles.Operator);
            await using var browser = await BrowserSession.OpenAsync(fixture, 1920, 1080);
            var page = browser.Page;
            await browser.LoginAsync(operatorAccount);
            await page.ClickAsync("#cd-menu [data-menu=register]");
            await browser.ReadyAsync();

            await page.FillAsync("#clientName", "한빛상사");
            await Assertions.Expect(page.Locator("[data-counter-for=clientName]")).ToHaveTextAsync("4 / 30");
            await page.FillAsync("#clientRequester", "홍길동");
            await page.FillAsync("#requesterEmail", "buyer@example.com");
            await Assertions.Expect(page.Locator("#email-hint")).ToHaveTextAsync("유효한 이메일 형식입니다.");
            await page.FillAsync("#eventName", "연말 감사 이벤트");

            // Send time: tomorrow 22:00 KST is at night and needs the confirmation tick.
            var tomorrow = DateOnly.FromDateTime(Kst.Now(TimeProvider.System)).AddDays(1).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
            await page.EvaluateAsync($"document.querySelector('#scheduledAt')._flatpickr.setDate('{tomorrow} 22:00', true)");
            await Assertions.Expect(page.Locator("#night-box")).ToBeVisibleAsync();
            await page.CheckAsync("#nightSendConfirmed");

            // Product picker with search and images.
            await page.ClickAsync("#product-search-open");
            await Assertions.Expect(page.Locator("#picker-table tbody tr").First).ToBeVisibleAsync();
            await page.FillAsync("#picker-q", "아메리카노");
            await page.PressAsync("#picker-q", "Enter");
            await Assertions.Expect(page.Locator("#picker-table tbody tr").First).ToContainTextAsync("아메리카노");
            await Assertions.Expect(page.Locator("#picker-table img[src^='blob:']").First).ToBeVisibleAsync();
            await page.Locator("#picker-table tbody tr button").First.ClickAsync();
            await Assertions.Expect(page.Locator("#productName")).ToHaveValueAsync(new System.Text.RegularExpressions.Regex("아메리카노"));
            await Assertions.Expect(page.Locator("#product-price")).ToContainTextAsync("(원)");

            // EUC-KR counters: an emoji is named, not cut; Hangul counts 2 bytes.
            await page.FillAsync("#mmsTitle", "감사 쿠폰 😀");
            await Assertions.Expect(page.Locator("#mmsTitle + .invalid-feedback")).ToContainTextAsync("MMS에서 사용할 수 없는 문자(이모지 등)가 포함되어 있습니다: 😀");
            await page.FillAsync("#mmsTitle", "감사 쿠폰");
            await Assertions.Expect(page.Locator("#mmsTitle-bytes")).ToHaveTextAsync("9 / 40 byte");
            await Assertions.Expect(page.Locator("#mmsTitle + .invalid-feedback")).ToHaveCountAsync(0);
            await page.FillAsync("#mmsBody", "한 해 동안 감사했습니다.\n쿠폰을 매장에서 보여 주세요.");
            await Assertions.Expect(page.Locator("#phone-title")).ToHaveTextAsync("감사 쿠폰");

            // The live coupon preview comes from the real renderer.
            await Assertions.Expect(page.Locator("#coupon-preview[src^='blob:']")).ToBeVisibleAsync(new() { Timeout = 15_000 });
            await Assertions.Expect(page.Locator("#preview-size")).ToContainTextAsync("KB / 300 KB");

            // Recipients from a file with bad rows.
            await page.ClickAsync("#tab-bulk");
            var csv = "휴대폰번호\n010-0000-1001\n01000001002\n010-0000-1001\n0212345678\nabc\n01000001003\n";
            await page.SetInputFilesAsync("#recipientFile", new FilePayload { Name = "recipients.csv", MimeType = "text/csv", Buffer = Encoding.UTF8.GetBytes(csv) });
            await Assertions.Expect(page.Locator("#recipient-summary")).ToContainTextAsync("정상 3건");
            var errorRows = page.Locator("#recipient-errors tbody tr");
            await Assertions.Expect(errorRows).Not.ToHaveCountAsync(0);
            await Assertions.Expect(page.Locator("#recipient-errors")).ToContainTextAsync("전화번호 형식 오류");
            await Assertions.Expect(page.Locator("#recipient-preview tbody tr")).ToHaveCountAsync(3);
            // Numbers are shown masked as the API gives them.
            await Assertions.Expect(page.Locator("#recipient-preview tbody tr").First).ToContainTextAsync("****");
            var download = await page.RunAndWaitForDownloadAsync(() => page.ClickAsync("#errors-download"));
            Assert.EndsWith(".csv", download.SuggestedFilename, StringComparison.Ordinal);
            await browser.ScreenshotAsync("register-filled");

            // Submit: the recipients with errors are confirmed, then the send itself with count and cost.
            await page.ClickAsync("#reg-submit");
            var dialog = page.Locator(".modal.show");
            await Assertions.Expect(dialog).ToContainTextAsync("오류");
            await dialog.Locator("button", new LocatorLocatorOptions { HasText = "확인" }).ClickAsync();
            await Assertions.Expect(page.Locator(".modal.show")).ToContainTextAsync("총 3개의 휴대폰 번호로 발송이 됩니다.");
            await Assertions.Expect(page.Locator(".modal.show")).ToContainTextAsync("합계");
            await browser.ScreenshotAsync("register-confirm");
            await page.Locator(".modal.show button", new PageLocatorOptions { HasText = "발송" }).Last.ClickAsync();
            // The page opens the new campaign's detail (issue 14 point 7).
            await page.WaitForURLAsync("**/campaign.html?id=*");
            await Assertions.Expect(page.Locator("#cd-flash")).ToContainTextAsync("발송 요청이 완료되었습니다.");
            browser.AssertNoErrors();
        }
        finally
        {
            await WebUiFixture.ChangeSettingsAsync(admin, new Dictionary<string, object?> { ["Campaigns:NightStartHour"] = null, ["Campaigns:NightEndHour"] = null });
        }
    }

    [Fact(Timeout = 60_000)]
    public async Task The_pages_euc_kr_counting_matches_the_servers_strict_rules()
    {
        var account = await fixture.CreateAccountAsync(Roles.Operator);
        await using var browser = await BrowserSession.OpenAsync(fixture);
        await browser.LoginAsync(account);
        await browser.GoAsync("register.html");
        await browser.ReadyAsync();

        // Every BMP character the server counts as two EUC-KR bytes, against the page's table; none counts as one
        // byte above ASCII (.NET's single-byte private-use slots are refused — docs/decisions.md D-UI-6).
        var expected = new StringBuilder();
        var singleByteAboveAscii = new List<int>();
        for (var c = 0x80; c <= 0xFFFF; c++)
        {
            if (c is >= 0xD800 and <= 0xDFFF)
            {
                continue;
            }

            var text = ((char)c).ToString();
            var measure = EucKrText.Measure(text);
            if (measure.Unencodable.Count == 0 && measure.Bytes == 1)
            {
                singleByteAboveAscii.Add(c);
            }
            else if (measure.Unencodable.Count == 0)
            {
                Assert.Equal(2, measure.Bytes);
                expected.Append(text);
            }
        }

        Assert.Empty(singleByteAboveAscii);
        var fromPage = await browser.Page.EvaluateAsync<string>("CD.eucKr.twoByteCharacters()");
        Assert.Equal(expected.Length, fromPage.Length);
        Assert.Equal(expected.ToString(), fromPage);

        foreach (var sample in new[] { "감사 쿠폰", "똠방각하", "Tab\there", "줄\n바꿈", "①②★☆㈜", "emoji 😀 and 漢字", "\u00A0nbsp", "\uB2D2 \uB2D6" })
        {
            var server = EucKrText.Measure(sample);
            var page = await browser.Page.EvaluateAsync<EucKrResult>("t => CD.eucKr.measure(t)", sample);
            Assert.Equal(server.Bytes, page.Bytes);
            Assert.Equal(server.Unencodable.Count, page.Unencodable.Length);
        }

        var privateUse = await browser.Page.EvaluateAsync<EucKrResult>("t => CD.eucKr.measure(t)", "\uF8E6");
        Assert.Single(privateUse.Unencodable);
        browser.AssertNoErrors();
    }

    public sealed class EucKrResult
    {
        public int Bytes { get; set; }

        public int Chars { get; set; }

        public string[] Unencodable { get; set; } = [];
    }
}
