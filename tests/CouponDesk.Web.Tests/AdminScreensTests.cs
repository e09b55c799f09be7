using CouponDesk.Security;
using Microsoft.Playwright;

namespace CouponDesk.Web.Tests;

/// <summary>사용자관리 (spec §3.6), 감사로그 (§3.7) and 상품 (§3.5) driven through the pages.</summary>
[Collection(WebUiCollection.Name)]
public sealed class AdminScreensTests(WebUiFixture fixture)
{
    [Fact(Timeout = 90_000)]
    public async Task An_admin_registers_edits_and_resets_a_user()
    {
        var admin = await fixture.CreateAccountAsync(Roles.Admin);
        await using var browser = await BrowserSession.OpenAsync(fixture);
        var page = browser.Page;
        await browser.LoginAsync(admin);
        await page.ClickAsync("#cd-menu [data-menu=users]");
        await Assertions.Expect(page.Locator($"#user-table tr[data-login={admin.LoginId}]")).ToBeVisibleAsync();

        // Invalid characters are removed as typed, with the field's message.
        await page.Locator("#loginId").PressSequentiallyAsync("kim-01");
        Assert.Equal("kim01", await page.InputValueAsync("#loginId"));
        await Assertions.Expect(page.Locator("#loginId + .invalid-feedback")).ToContainTextAsync("로그인 ID는 영문/숫자 조합 15자 이내여야 합니다.");

        var newLogin = "op" + Random.Shared.Next(100000, 999999);
        await page.FillAsync("#loginId", newLogin);
        await page.FillAsync("#name", "김운영");
        await page.FillAsync("#email", "not-an-email");
        await page.SelectOptionAsync("#role", "OPERATOR");
        await page.ClickAsync("#user-create-submit");
        await Assertions.Expect(page.Locator("#email + .invalid-feedback")).ToHaveTextAsync("올바른 이메일 형식이 아닙니다.");
        await Assertions.Expect(page.Locator("#email")).ToBeFocusedAsync();
        Assert.Equal("김운영", await page.InputValueAsync("#name")); // the form keeps what was typed

        await page.FillAsync("#email", "ops@example.com");
        await page.ClickAsync("#user-create-submit");
        // No password typed: one is generated and shown once.
        var dialog = page.Locator(".modal.show");
        await Assertions.Expect(dialog).ToContainTextAsync($"사용자({newLogin})가 등록되었습니다.");
        var generated = await dialog.Locator("#generated-password").InnerTextAsync();
        Assert.True(generated.Length >= 12);
        await browser.ScreenshotAsync("users-generated-password");
        await dialog.Locator("button", new LocatorLocatorOptions { HasText = "확인" }).ClickAsync();
        var row = page.Locator($"#user-table tr[data-login={newLogin}]");
        await Assertions.Expect(row).ToContainTextAsync("운영자");
        await Assertions.Expect(row).ToContainTextAsync("비밀번호 변경 대기");
        await Assertions.Expect(row).ToContainTextAsync("김*영"); // the list shows names masked

        // The same id again is refused next to the field.
        await page.FillAsync("#loginId", newLogin.ToUpperInvariant());
        await page.ClickAsync("#user-create-submit");
        await Assertions.Expect(page.Locator("#loginId + .invalid-feedback")).ToHaveTextAsync("이미 사용 중인 로그인 ID입니다.");

        // Edit: make the user a viewer.
        await row.Locator("button", new LocatorLocatorOptions { HasText = "수정" }).ClickAsync();
        await Assertions.Expect(page.Locator("#user-modal")).ToBeVisibleAsync();
        Assert.Equal("김운영", await page.InputValueAsync("#edit-name"));
        await page.SelectOptionAsync("#edit-role", "VIEWER");
        await browser.ScreenshotAsync("users-edit");
        await page.ClickAsync("#edit-save");
        await Assertions.Expect(page.Locator("#user-modal")).ToBeHiddenAsync();
        await Assertions.Expect(row).ToContainTextAsync("조회 전용");

        // The own account cannot be demoted: the server's message appears in the dialog.
        await page.Locator($"#user-table tr[data-login={admin.LoginId}] button").ClickAsync();
        await page.SelectOptionAsync("#edit-role", "OPERATOR");
        await page.ClickAsync("#edit-save");
        await Assertions.Expect(page.Locator("#user-edit [data-role=form-alert], #user-edit .invalid-feedback").First).ToContainTextAsync("본인 계정의 역할과 상태는 변경할 수 없습니다.");
        await page.Locator("#user-modal[data-cd-state=shown]").WaitForAsync();
        await page.ClickAsync("#user-modal .btn-close");
        await Assertions.Expect(page.Locator("#user-modal")).ToBeHiddenAsync();

        // Reset the new user's password: confirmed, then shown once.
        // Each click waits for its dialog's shown state (the end of Bootstrap's fade-in, data-cd-state=shown): a click
        // during the transition used to be dropped by Bootstrap's hide(), leaving two dialogs or none.
        await row.Locator("button").ClickAsync();
        await page.Locator("#user-modal[data-cd-state=shown]").WaitForAsync();
        await page.ClickAsync("#edit-reset");
        var confirm = page.Locator(".modal[data-cd-state=shown]", new PageLocatorOptions { HasText = "비밀번호를 초기화하시겠습니까?" });
        await confirm.Locator("button", new LocatorLocatorOptions { HasText = "확인" }).ClickAsync();
        var shown = page.Locator(".modal[data-cd-state=shown]", new PageLocatorOptions { HasText = "비밀번호가 초기화되었습니다." });
        await Assertions.Expect(shown.Locator("#generated-password")).Not.ToBeEmptyAsync();
        await shown.Locator("button", new LocatorLocatorOptions { HasText = "확인" }).ClickAsync();
        await Assertions.Expect(page.Locator(".modal.show")).ToHaveCountAsync(0);

        // Filters.
        await page.SelectOptionAsync("#filter-role", "VIEWER");
        await page.ClickAsync("#user-search");
        await Assertions.Expect(row).ToBeVisibleAsync();
        await Assertions.Expect(page.Locator($"#user-table tr[data-login={admin.LoginId}]")).ToHaveCountAsync(0);
        browser.AssertNoErrors();
    }

    [Fact(Timeout = 60_000)]
    public async Task Products_search_filters_the_catalog_and_opens_a_product()
    {
        var admin = await fixture.CreateAccountAsync(Roles.Admin);
        await using var browser = await BrowserSession.OpenAsync(fixture);
        var page = browser.Page;
        await browser.LoginAsync(admin);
        await page.ClickAsync("#cd-menu [data-menu=products]");

        var rows = page.Locator("#product-table tbody tr");
        await Assertions.Expect(rows.First).ToBeVisibleAsync();
        var all = await rows.CountAsync();
        Assert.True(all > 5, $"catalog rows: {all}");
        await Assertions.Expect(page.Locator("#product-count")).ToContainTextAsync("전체");
        await Assertions.Expect(page.Locator("#sync-now")).ToBeVisibleAsync();
        await Assertions.Expect(page.Locator("#sync-panel")).ToContainTextAsync("성공");

        // Search by a word of the first product's name.
        var firstName = (await rows.First.Locator("td").Nth(2).InnerTextAsync()).Trim();
        var term = firstName.Split(' ', StringSplitOptions.RemoveEmptyEntries).OrderByDescending(w => w.Length).First();
        var before = await page.InnerTextAsync("#product-count");
        await page.FillAsync("#q", term);
        await page.PressAsync("#q", "Enter");
        await Assertions.Expect(page.Locator("#product-count")).Not.ToHaveTextAsync(before);
        var names = await page.Locator("#product-table tbody tr td:nth-child(3)").AllInnerTextsAsync();
        var branches = await page.Locator("#product-table tbody tr td:nth-child(4)").AllInnerTextsAsync();
        Assert.NotEmpty(names);
        Assert.All(names.Zip(branches), p => Assert.True(p.First.Contains(term, StringComparison.Ordinal) || p.Second.Contains(term, StringComparison.Ordinal), $"{p.First} / {p.Second} does not contain {term}"));

        // Images come through the API with the token.
        await Assertions.Expect(page.Locator("#product-table img.cd-thumb[src^='blob:']").First).ToBeVisibleAsync();

        await page.FillAsync("#q", "존재하지않는상품명xyz");
        await page.ClickAsync("#product-search");
        await Assertions.Expect(page.Locator("#product-table tbody")).ToHaveTextAsync("조회된 결과가 없습니다.");

        await page.FillAsync("#q", term);
        await page.ClickAsync("#product-search");
        await page.Locator("#product-table tbody tr td:nth-child(3) a").First.ClickAsync();
        await Assertions.Expect(page.Locator("#product-modal")).ToBeVisibleAsync();
        await Assertions.Expect(page.Locator("#product-modal-body")).ToContainTextAsync("이용 안내");
        await browser.ScreenshotAsync("products-detail");
        browser.AssertNoErrors();
    }

    [Fact(Timeout = 60_000)]
    public async Task The_audit_log_shows_todays_logins_and_their_details()
    {
        var admin = await fixture.CreateAccountAsync(Roles.Admin);
        await using var browser = await BrowserSession.OpenAsync(fixture);
        var page = browser.Page;
        await browser.LoginAsync(admin);
        await page.ClickAsync("#cd-menu [data-menu=audit]");

        await Assertions.Expect(page.Locator("#audit-table tbody tr").First).ToBeVisibleAsync();
        await page.FillAsync("#actor", admin.LoginId);
        await page.SelectOptionAsync("#action", "auth.login"); // 행위 유형 is a select of the known actions (issue 14 point 10)
        await page.ClickAsync("#audit-search");
        var first = page.Locator("#audit-table tbody tr:not([hidden])").First;
        await Assertions.Expect(first).ToContainTextAsync("로그인");
        await Assertions.Expect(first).ToContainTextAsync(admin.LoginId);
        await Assertions.Expect(first).ToContainTextAsync("성공");
        await first.Locator("button[aria-label='상세 보기']").ClickAsync();
        await Assertions.Expect(page.Locator("#audit-table tbody tr:not([hidden])").Nth(1)).ToContainTextAsync("요청 ID");

        // A period that ends before it starts is refused next to the field concerned.
        await page.EvaluateAsync("document.querySelector('#from')._flatpickr.setDate('2030-01-02')");
        await page.EvaluateAsync("document.querySelector('#to')._flatpickr.setDate('2030-01-01')");
        await page.ClickAsync("#audit-search");
        await Assertions.Expect(page.Locator("#to + .invalid-feedback")).ToHaveTextAsync("종료 일시는 시작 일시보다 뒤여야 합니다.");
        await Assertions.Expect(page.Locator("#to")).ToBeFocusedAsync();
        browser.AssertNoErrors();
    }
}
