using CouponDesk.Security;
using Microsoft.Playwright;

namespace CouponDesk.Web.Tests;

/// <summary>
/// Every screen at 1280×800 and 1920×1080: it draws without a console error, every visible control is reachable with
/// the Tab key, and a screenshot is saved under <c>.local/screenshots</c> for review (a few are copied to docs/images).
/// </summary>
[Collection(WebUiCollection.Name)]
public sealed class ScreensTests(WebUiFixture fixture)
{
    public static TheoryData<int, int> Sizes => new() { { 1280, 800 }, { 1920, 1080 } };

    private static readonly (string Page, string Name, string ReadySelector)[] Screens =
    [
        ("index.html", "dashboard", "#dash-health li"),
        ("products.html", "products", "#product-table img[src^='blob:']"),
        ("users.html", "users", "#user-table tbody tr"),
        ("audit.html", "audit", "#audit-table tbody tr"),
        ("register.html", "register", "#reg-form"),
        ("campaigns.html", "campaigns", "#campaign-table tbody tr"),
        ("password.html", "password", "#password-form"),
    ];

    [Theory(Timeout = 90_000)]
    [MemberData(nameof(Sizes))]
    public async Task Every_screen_draws_cleanly_and_is_keyboard_reachable(int width, int height)
    {
        var admin = await fixture.CreateAccountAsync(Roles.Admin);
        await using var browser = await BrowserSession.OpenAsync(fixture, width, height);
        var page = browser.Page;
        await browser.GoAsync("login.html");
        await browser.ScreenshotAsync("login");
        await browser.LoginAsync(admin);

        foreach (var (path, name, ready) in Screens)
        {
            await browser.GoAsync(path);
            await browser.ReadyAsync();
            await page.Locator(ready).First.WaitForAsync();
            await page.EvaluateAsync("document.fonts.ready");
            await browser.ScreenshotAsync(name);
            await AssertKeyboardReachableAsync(page, name);
        }

        browser.AssertNoErrors();
    }

    /// <summary>Tabs through the page and checks that every visible, enabled control got the focus on the way.</summary>
    private static async Task AssertKeyboardReachableAsync(IPage page, string screen)
    {
        // Tag every visible focusable control, then Tab until the focus comes round again.
        var total = await page.EvaluateAsync<int>("""
            () => {
              const all = [...document.querySelectorAll('a[href], button, input, select, textarea, [tabindex]')]
                .filter(e => !(e.type === 'radio' && !e.checked)) // a radio group is one Tab stop; arrows move inside it
                .filter(e => e.tabIndex >= 0 && !e.disabled && !e.closest('[hidden], .modal:not(.show)')
                  && e.getClientRects().length > 0 && getComputedStyle(e).visibility !== 'hidden');
              all.forEach((e, i) => e.dataset.kbd = String(i));
              window.__kbdSeen = new Set();
              document.addEventListener('focusin', ev => { if (ev.target.dataset && ev.target.dataset.kbd) window.__kbdSeen.add(ev.target.dataset.kbd); });
              document.activeElement && document.activeElement.blur();
              return all.length;
            }
            """);
        Assert.True(total > 3, $"{screen}: only {total} controls");
        for (var i = 0; i < total + 5; i++)
        {
            await page.Keyboard.PressAsync("Tab");
        }

        var missed = await page.EvaluateAsync<string[]>("""
            () => [...document.querySelectorAll('[data-kbd]')].filter(e => !window.__kbdSeen.has(e.dataset.kbd))
                    .map(e => e.tagName + '#' + e.id + ' ' + (e.textContent || e.name || '').trim().slice(0, 30))
            """);
        Assert.True(missed.Length == 0, $"{screen}: not reachable with Tab: {string.Join(", ", missed)}");
    }
}
