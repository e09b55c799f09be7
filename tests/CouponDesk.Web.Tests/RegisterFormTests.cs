using System.Globalization;
using System.Text.RegularExpressions;
using CouponDesk.Security;
using CouponDesk.Shared.Time;
using Microsoft.Playwright;

namespace CouponDesk.Web.Tests;

/// <summary>
/// 발송등록 as a new operator meets it (issue 14 points 4–7): every invalid field marked at once and cleared when fixed,
/// a send-time picker that offers only allowed times and explains a wrong one at once, quick entry that keeps each line
/// with its reason, and a submit that confirms with the campaign's own facts and opens the new campaign.
/// </summary>
[Collection(WebUiCollection.Name)]
public sealed partial class RegisterFormTests(WebUiFixture fixture)
{
    [Fact(Timeout = 90_000)]
    public async Task Every_invalid_field_is_marked_at_once_the_first_focused_and_a_fixed_field_clears()
    {
        await using var browser = await RegisterForm.OpenAsync(fixture, Roles.Operator);
        var page = browser.Page;

        // What a hurried operator leaves: no client, no requester, a broken e-mail, no send time, no product, no title.
        await page.FillAsync("#requesterEmail", "buyer@@example");
        await page.FillAsync("#eventName", "연말 감사 이벤트");
        await page.FillAsync("#mmsBody", "쿠폰을 매장에서 보여 주세요.");
        await page.ClickAsync("#reg-submit");

        foreach (var field in new[] { "#clientName", "#clientRequester", "#requesterEmail", "#scheduledAt", "#productName", "#mmsTitle" })
        {
            await Assertions.Expect(page.Locator(field)).ToHaveClassAsync(new Regex("is-invalid"));
        }

        await Assertions.Expect(page.Locator("#eventName")).Not.ToHaveClassAsync(new Regex("is-invalid"));
        await Assertions.Expect(page.Locator(".invalid-feedback:visible")).ToHaveCountAsync(6);
        await Assertions.Expect(page.Locator(".invalid-feedback:visible", new PageLocatorOptions { HasText = "필수 항목인 '고객사'을(를) 입력해주세요." })).ToHaveCountAsync(1);
        await Assertions.Expect(page.Locator(".invalid-feedback:visible", new PageLocatorOptions { HasText = "필수 항목인 '상품명'" })).ToHaveCountAsync(1);
        await Assertions.Expect(page.Locator("#recipient-summary")).ToContainTextAsync("간편등록에 수신자 휴대폰 번호를 입력해주세요.");
        await Assertions.Expect(page.Locator("#clientName")).ToBeFocusedAsync();
        // Tall enough for the whole form and its action bar (a full-page capture would float the sticky bar mid-page).
        await page.SetViewportSizeAsync(1920, 1780);
        await browser.ScreenshotAsync("register-errors");

        // Fixing one field clears its own error at once and leaves the others.
        await page.FillAsync("#clientName", "한빛상사");
        await Assertions.Expect(page.Locator("#clientName")).Not.ToHaveClassAsync(new Regex("is-invalid"));
        await page.FillAsync("#requesterEmail", "buyer@example.com");
        await Assertions.Expect(page.Locator("#requesterEmail")).Not.ToHaveClassAsync(new Regex("is-invalid"));
        await Assertions.Expect(page.Locator(".invalid-feedback:visible")).ToHaveCountAsync(4);
        await Assertions.Expect(page.Locator("#clientRequester")).ToHaveClassAsync(new Regex("is-invalid"));
        browser.AssertNoErrors();
    }

    [Fact(Timeout = 90_000)]
    public async Task The_send_time_picker_offers_only_allowed_times_and_explains_a_wrong_one_at_once()
    {
        await using var browser = await RegisterForm.OpenAsync(fixture, Roles.Operator);
        var page = browser.Page;

        // The earliest allowed time (now + the preparation lead, on a 5-minute step) is what the picker starts from.
        var earliest = await page.EvaluateAsync<string>("() => CD.api('GET', '/api/campaigns/send-time').then(r => r.earliest)");
        Assert.Matches(WallClock(), earliest);
        Assert.Equal(0, int.Parse(earliest[^2..], CultureInfo.InvariantCulture) % 5);
        var picker = await page.EvaluateAsync<PickerConfig>(
            "() => { const fp = document.querySelector('#scheduledAt')._flatpickr; return { min: CD.fmt.dateTime(fp.config.minDate), step: fp.config.minuteIncrement }; }");
        Assert.True(string.CompareOrdinal(picker.Min, earliest) >= 0, $"picker minimum {picker.Min} is before the earliest allowed {earliest}");
        Assert.Equal(5, picker.Step);
        Assert.Contains(earliest[11..], await page.InnerTextAsync("#scheduled-hint"), StringComparison.Ordinal);

        // Picking the first day the calendar offers gives an allowed time, not midnight.
        await page.ClickAsync("#scheduledAt");
        await page.Locator(".flatpickr-calendar.open .flatpickr-day:not(.flatpickr-disabled)").First.ClickAsync();
        var picked = await page.InputValueAsync("#scheduledAt");
        Assert.Matches(WallClock(), picked);
        Assert.True(string.CompareOrdinal(picked, earliest) >= 0, $"picked {picked} is before the earliest allowed {earliest}");
        await page.Keyboard.PressAsync("Escape");
        await Assertions.Expect(page.Locator("#scheduledAt")).Not.ToHaveClassAsync(new Regex("is-invalid"));

        // A typed past time stays in the field and gets its own message next to it at once (no save needed).
        var yesterday = DateOnly.FromDateTime(Kst.Now(TimeProvider.System)).AddDays(-1).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) + " 10:00";
        await page.FillAsync("#scheduledAt", yesterday);
        await page.PressAsync("#scheduledAt", "Tab");
        await Assertions.Expect(page.Locator("#scheduledAt")).ToHaveClassAsync(new Regex("is-invalid"));
        await Assertions.Expect(page.Locator("#scheduledAt")).ToHaveValueAsync(yesterday);
        var feedback = page.Locator(".cd-date-group + .invalid-feedback");
        await Assertions.Expect(feedback).ToBeVisibleAsync();
        await Assertions.Expect(feedback).ToContainTextAsync("이미 지났습니다");
        await Assertions.Expect(feedback).Not.ToContainTextAsync("필수 항목");

        // A time inside the preparation lead says until when, and why.
        var tooSoon = KstText(DateTime.UtcNow.AddMinutes(2));
        await page.FillAsync("#scheduledAt", tooSoon);
        await page.PressAsync("#scheduledAt", "Tab");
        await Assertions.Expect(feedback).ToContainTextAsync("이후로 선택해 주세요. (발송 준비에 약");
        await Assertions.Expect(page.Locator(".flatpickr-calendar.open")).ToHaveCountAsync(0);

        // Fixed: the message goes.
        await page.FillAsync("#scheduledAt", RegisterForm.Tomorrow("10:00"));
        await page.PressAsync("#scheduledAt", "Tab");
        await Assertions.Expect(page.Locator("#scheduledAt")).Not.ToHaveClassAsync(new Regex("is-invalid"));
        await Assertions.Expect(page.Locator(".invalid-feedback:visible")).ToHaveCountAsync(0);

        // 즉시 발송 shows the earliest time it will use.
        await page.CheckAsync("#send-now");
        var immediate = await page.InputValueAsync("#scheduledAt");
        Assert.Matches(WallClock(), immediate);
        Assert.True(string.CompareOrdinal(immediate, earliest) >= 0, $"즉시 발송 shows {immediate}, before the earliest allowed {earliest}");
        Assert.True(await page.IsDisabledAsync("#scheduledAt"));
        browser.AssertNoErrors();
    }

    [Fact(Timeout = 90_000)]
    public async Task Quick_entry_keeps_each_line_and_says_beside_it_why_it_is_invalid()
    {
        await using var browser = await RegisterForm.OpenAsync(fixture, Roles.Operator);
        var page = browser.Page;

        // The issue's case: a wrong number, Enter, then more digits — they must not merge into the line above.
        await page.ClickAsync("#recipientList");
        await page.Keyboard.TypeAsync("011-123-4567");
        await page.Keyboard.PressAsync("Enter");
        await page.Keyboard.TypeAsync("12345");
        await Assertions.Expect(page.Locator("#recipientList")).ToHaveValueAsync("0111234567\n12345");
        var reasons = page.Locator("#quick-reasons li");
        await Assertions.Expect(reasons.Nth(0)).ToContainTextAsync("010");
        await Assertions.Expect(reasons.Nth(1)).ToContainTextAsync("11자리");
        await Assertions.Expect(page.Locator("#quick-marks li").Nth(0)).ToContainTextAsync("X");

        // Editing the first line in place: a stripped character does not throw the caret to the end of the box.
        await page.Keyboard.PressAsync("Control+Home");
        await page.Keyboard.PressAsync("End");
        await page.Keyboard.TypeAsync("-9");
        await Assertions.Expect(page.Locator("#recipientList")).ToHaveValueAsync("01112345679\n12345");

        // A good line is O; the same number again is X with its reason.
        await page.Keyboard.PressAsync("Control+End");
        await page.Keyboard.PressAsync("Enter");
        await page.Keyboard.TypeAsync("01000001234");
        await page.Keyboard.PressAsync("Enter");
        await page.Keyboard.TypeAsync("010-0000-1234");
        await Assertions.Expect(page.Locator("#recipientList")).ToHaveValueAsync("01112345679\n12345\n01000001234\n01000001234");
        await Assertions.Expect(page.Locator("#quick-marks li").Nth(2)).ToContainTextAsync("O");
        await Assertions.Expect(reasons.Nth(2)).ToHaveTextAsync("");
        await Assertions.Expect(reasons.Nth(3)).ToContainTextAsync("중복 번호");

        // Enter on an empty line still adds nothing.
        await page.Keyboard.PressAsync("Enter");
        await page.Keyboard.PressAsync("Enter");
        await Assertions.Expect(page.Locator("#recipientList")).ToHaveValueAsync("01112345679\n12345\n01000001234\n01000001234\n");
        browser.AssertNoErrors();
    }

    [Fact(Timeout = 150_000)]
    public async Task Submitting_confirms_the_campaigns_facts_and_opens_it_with_its_planned_recipients_and_cost()
    {
        var eventName = "예약 확인 이벤트 " + Guid.NewGuid().ToString("N")[..6];
        await using var browser = await RegisterForm.OpenAsync(fixture, Roles.Operator);
        var page = browser.Page;

        await RegisterForm.FillClientAsync(page, eventName, RegisterForm.Tomorrow("10:00"));
        await RegisterForm.PickProductAsync(page, "글레이즈드 6개");
        await RegisterForm.FillMessageAsync(page, title: "연말 감사 쿠폰");
        string[] phones = ["010-0000-4101", "010-0000-4102", "010-0000-4103"];
        await RegisterForm.QuickEntryAsync(page, phones);
        var (confirmation, id) = await RegisterForm.SubmitAsync(page);

        // The confirmation: the right particle, the total once, and the sender number, title and event name.
        Assert.Contains("글레이즈드 6개를 총 3개의 휴대폰 번호로 발송이 됩니다.", confirmation, StringComparison.Ordinal);
        Assert.DoesNotContain("을(를)", confirmation, StringComparison.Ordinal);
        Assert.Single(Regex.Matches(confirmation, "합계"));
        Assert.Contains(eventName, confirmation, StringComparison.Ordinal);
        Assert.Contains("연말 감사 쿠폰", confirmation, StringComparison.Ordinal);
        Assert.Matches("1600-?0000", confirmation);

        // The page opened the new campaign, with its number in the flash.
        Assert.EndsWith($"/campaign.html?id={id}", page.Url);
        await Assertions.Expect(page.Locator("#cd-flash")).ToContainTextAsync("발송 요청이 완료되었습니다.");
        var number = await page.Locator("#campaign-panel dd").First.InnerTextAsync();
        await Assertions.Expect(page.Locator("#cd-flash")).ToContainTextAsync(number);

        // Before it starts: the accepted recipients (masked), the planned counts and the cost.
        var rows = page.Locator("#recipient-table tbody tr[data-recipient]");
        await Assertions.Expect(rows).ToHaveCountAsync(3);
        foreach (var cell in await page.Locator("#recipient-table tbody tr[data-recipient] td:nth-child(2)").AllTextContentsAsync())
        {
            Assert.Matches("^010-\\*\\*\\*\\*-41\\d{2}$", cell);
        }

        await Assertions.Expect(page.Locator("#recipient-count")).ToContainTextAsync("전체 3건");
        await Assertions.Expect(page.Locator("#progress-stages [data-stage=발급] .cd-stage-count")).ToHaveTextAsync("0 / 3");
        await Assertions.Expect(page.Locator("#progress-stats")).ToContainTextAsync("발송 예정");
        await Assertions.Expect(page.Locator("#progress-stats")).ToContainTextAsync("예상 합계");
        await Assertions.Expect(page.Locator("#progress-stats")).Not.ToContainTextAsync("처리 속도");
        await Assertions.Expect(page.Locator("#recipient-search")).ToBeHiddenAsync();
        var html = await page.ContentAsync();
        Assert.DoesNotContain("0100000410", html, StringComparison.Ordinal);
        await page.SetViewportSizeAsync(1920, 1300);
        await browser.ScreenshotAsync("campaign-scheduled");

        // 일괄취소 names its action: "캠페인 취소" / "닫기"; closing changes nothing.
        await page.ClickAsync("#campaign-cancel");
        var dialog = page.Locator(".modal[data-cd-state=shown]");
        await Assertions.Expect(dialog.Locator(".modal-footer button")).ToHaveTextAsync(["닫기", "캠페인 취소"]);
        await dialog.Locator("button", new LocatorLocatorOptions { HasText = "닫기" }).ClickAsync();
        await Assertions.Expect(page.Locator(".modal.show")).ToHaveCountAsync(0);
        await Assertions.Expect(page.Locator("#campaign-panel")).ToContainTextAsync("예약");
        browser.AssertNoErrors();
    }

    private static string KstText(DateTime utc) => Kst.ToKst(utc).ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture);

    [GeneratedRegex(@"^\d{4}-\d{2}-\d{2} \d{2}:\d{2}$")]
    private static partial Regex WallClock();

    public sealed class PickerConfig
    {
        public string Min { get; set; } = "";

        public int Step { get; set; }
    }
}
