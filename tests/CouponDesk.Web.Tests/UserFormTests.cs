using System.Globalization;
using System.Text.RegularExpressions;
using CouponDesk.Security;
using Microsoft.Playwright;

namespace CouponDesk.Web.Tests;

/// <summary>사용자 등록 (spec §3.6) as issue 14 point 11 found it: one numbering through the form, and Korean typed into the ID explained.</summary>
[Collection(WebUiCollection.Name)]
public sealed partial class UserFormTests(WebUiFixture fixture)
{
    [Fact(Timeout = 60_000)]
    public async Task The_form_numbers_its_fields_once_and_says_why_korean_leaves_the_login_id()
    {
        var admin = await fixture.CreateAccountAsync(Roles.Admin);
        await using var browser = await BrowserSession.OpenAsync(fixture);
        var page = browser.Page;
        await browser.LoginAsync(admin);
        await page.ClickAsync("#cd-menu [data-menu=users]");
        await browser.ReadyAsync();

        // The numbers run 1, 2, 3 … through both sections; no section starts again at 1.
        var labels = await page.Locator("#user-create label.form-label").AllInnerTextsAsync();
        var numbers = labels.Select(l => StepNumber().Match(l)).Where(m => m.Success).Select(m => int.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture)).ToList();
        Assert.Equal(Enumerable.Range(1, numbers.Count), numbers);
        Assert.True(numbers.Count >= 6, "every field of the form is numbered: " + string.Join(" | ", labels));

        // Korean typed with the keyboard leaves the field with a sentence that says why and what to do.
        await page.Locator("#loginId").PressSequentiallyAsync("hong길동");
        await Assertions.Expect(page.Locator("#loginId")).ToHaveValueAsync("hong");
        var feedback = page.Locator("#loginId + .invalid-feedback");
        await Assertions.Expect(feedback).ToBeVisibleAsync();
        await Assertions.Expect(feedback).ToContainTextAsync("한글");
        await Assertions.Expect(feedback).ToContainTextAsync("길동");
        await Assertions.Expect(feedback).ToContainTextAsync("영문/숫자 조합 15자 이내");

        // Typed through an input method (composition): the syllable being composed is left alone until it is done,
        // then removed with the same explanation.
        await page.ClickAsync("#user-create button[type=reset]");
        await Assertions.Expect(feedback).ToHaveCountAsync(0);
        await page.FillAsync("#loginId", "kim");
        await page.EvaluateAsync(
            """
            () => {
              const input = document.querySelector('#loginId');
              input.dispatchEvent(new CompositionEvent('compositionstart', { data: '' }));
              input.value = 'kim한';
              input.dispatchEvent(new InputEvent('input', { data: '한', isComposing: true, inputType: 'insertCompositionText' }));
            }
            """);
        await Assertions.Expect(page.Locator("#loginId")).ToHaveValueAsync("kim한");
        await page.EvaluateAsync(
            """
            () => {
              const input = document.querySelector('#loginId');
              input.dispatchEvent(new CompositionEvent('compositionend', { data: '한' }));
            }
            """);
        await Assertions.Expect(page.Locator("#loginId")).ToHaveValueAsync("kim");
        await Assertions.Expect(feedback).ToContainTextAsync("한글");

        // A symbol is named as well; the message stays while typing goes on, so it can be read.
        await page.Locator("#loginId").PressSequentiallyAsync("-01");
        await Assertions.Expect(page.Locator("#loginId")).ToHaveValueAsync("kim01");
        await Assertions.Expect(feedback).ToContainTextAsync("'-'");
        await Assertions.Expect(feedback).ToContainTextAsync("영문/숫자 조합 15자 이내");
        browser.AssertNoErrors();
    }

    [GeneratedRegex(@"^\s*(\d+)\.")]
    private static partial Regex StepNumber();
}
