using CouponDesk.Data;
using CouponDesk.Security;
using CouponDesk.Security.Pii;
using CouponDesk.TestSupport;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;

namespace CouponDesk.Web.Tests;

/// <summary>
/// 보존 연장 on the campaign detail (spec §7.5, issue 17): an ADMIN sets it with a reason (the dialog holds without one)
/// and everyone then sees it with its date and reason; a VIEWER has no buttons.
/// </summary>
[Collection(WebUiCollection.Name)]
public sealed class LegalHoldPageTests(WebUiFixture fixture)
{
    [Fact(Timeout = 120_000)]
    public async Task An_admin_puts_a_campaign_on_hold_and_a_viewer_sees_it()
    {
        var services = fixture.BackOffice.Services;
        var campaign = await PipelineCampaigns.ScheduleAsync(services.GetRequiredService<DbConnectionFactory>(), services.GetRequiredService<PiiProtector>(), 1, firstPhone: 990, sendAtUtc: DateTime.UtcNow.AddDays(3), startAtUtc: DateTime.UtcNow.AddDays(3));
        var admin = await fixture.CreateAccountAsync(Roles.Admin);

        await using (var browser = await BrowserSession.OpenAsync(fixture, 1920, 1080))
        {
            var page = browser.Page;
            await browser.LoginAsync(admin);
            await browser.GoAsync($"campaign.html?id={campaign}");
            await browser.ReadyAsync();
            await Assertions.Expect(page.Locator("#legal-hold")).ToContainTextAsync("없음");
            await page.Locator("#legal-hold-set").ClickAsync();
            var dialog = page.Locator(".modal.show");
            await Assertions.Expect(dialog).ToContainTextAsync("보존 연장");

            // No reason: the dialog stays and nothing is set.
            await dialog.Locator("button", new LocatorLocatorOptions { HasText = "설정" }).Last.ClickAsync();
            await Assertions.Expect(dialog.Locator("#legal-hold-reason")).ToHaveClassAsync(new System.Text.RegularExpressions.Regex("is-invalid"));

            await dialog.Locator("#legal-hold-days").FillAsync("30");
            await dialog.Locator("#legal-hold-reason").FillAsync("소비자 분쟁 조정 중");
            await dialog.Locator("button", new LocatorLocatorOptions { HasText = "설정" }).Last.ClickAsync();
            await Assertions.Expect(page.Locator(".modal.show")).ToHaveCountAsync(0);
            await Assertions.Expect(page.Locator("#legal-hold-text")).ToContainTextAsync("사유: 소비자 분쟁 조정 중");
            await Assertions.Expect(page.Locator("#legal-hold-release")).ToBeVisibleAsync();
            await browser.ScreenshotAsync("legal-hold-set");
            browser.AssertNoErrors();
        }

        var viewer = await fixture.CreateAccountAsync(Roles.Viewer);
        await using (var browser = await BrowserSession.OpenAsync(fixture))
        {
            await browser.LoginAsync(viewer);
            await browser.GoAsync($"campaign.html?id={campaign}");
            await browser.ReadyAsync();
            await Assertions.Expect(browser.Page.Locator("#legal-hold-text")).ToContainTextAsync("까지 · 사유: 소비자 분쟁 조정 중");
            await Assertions.Expect(browser.Page.Locator("#legal-hold-set")).ToBeHiddenAsync();
            await Assertions.Expect(browser.Page.Locator("#legal-hold-release")).ToBeHiddenAsync();
            browser.AssertNoErrors();
        }
    }
}
