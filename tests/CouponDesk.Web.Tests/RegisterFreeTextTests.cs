using CouponDesk.Security;
using Microsoft.Playwright;

namespace CouponDesk.Web.Tests;

/// <summary>
/// Issue 14 point 14 on 발송등록: the e-mail hint follows the product's one e-mail rule (it once called
/// <c>&lt;script&gt;@x.com</c> valid), and a bidi override typed into a free-text field is refused by the server with a
/// Korean message under that field that names the character; nothing is saved.
/// </summary>
[Collection(WebUiCollection.Name)]
public sealed class RegisterFreeTextTests(WebUiFixture fixture)
{
    [Fact(Timeout = 120_000)]
    public async Task The_email_hint_and_the_free_text_rule_speak_korean_next_to_the_field()
    {
        await using var browser = await RegisterForm.OpenAsync(fixture, Roles.Operator);
        var page = browser.Page;

        var hint = page.Locator("#email-hint");
        foreach (var bad in new[] { "<script>@x.com", "a b@example.com", "buyer@example", "홍길동@example.com" })
        {
            await page.FillAsync("#requesterEmail", bad);
            await Assertions.Expect(hint).ToHaveTextAsync("유효하지 않은 이메일 형식입니다.");
        }

        await page.FillAsync("#requesterEmail", "buyer@example.com");
        await Assertions.Expect(hint).ToHaveTextAsync("유효한 이메일 형식입니다.");

        var eventName = "문자 검사 " + Guid.NewGuid().ToString("N")[..8];
        await page.FillAsync("#clientName", "한빛\u202E상사");
        await page.FillAsync("#eventName", eventName);
        await page.ClickAsync("#reg-draft");
        var error = page.Locator("#clientName ~ .invalid-feedback");
        await Assertions.Expect(error).ToHaveTextAsync("고객사에 사용할 수 없는 문자(글자 방향 제어 문자, U+202E)가 있습니다. 지우고 다시 입력해 주세요.");
        await Assertions.Expect(page.Locator("#clientName")).ToHaveClassAsync(new System.Text.RegularExpressions.Regex("is-invalid"));
        await browser.ScreenshotAsync("register-free-text");
        await using (var c = await fixture.Stack.OpenAsync())
        {
            Assert.Equal(0, await Dapper.SqlMapper.ExecuteScalarAsync<int>(c, "SELECT COUNT(*) FROM campaigns WHERE event_name = @eventName", new { eventName }));
        }

        // Fixed, the draft saves.
        await page.FillAsync("#clientName", "한빛상사");
        await page.ClickAsync("#reg-draft");
        await Assertions.Expect(error).ToHaveCountAsync(0);
        await Assertions.Expect(page.Locator("#reg-state")).Not.ToHaveTextAsync("새 발송");
        browser.AssertNoErrors();
    }
}
