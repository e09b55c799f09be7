using System.Net.Http.Json;
using System.Text.RegularExpressions;
using CouponDesk.Data;
using CouponDesk.Security;
using Dapper;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;

namespace CouponDesk.Web.Tests;

/// <summary>
/// Issue 14 point 10: 감사로그 shows Korean names for action and reason codes (the code on hover), its 행위 유형 filter
/// is a select of those names, and masking leaves the digits that are not personal data — a download's time stamp.
/// </summary>
[Collection(WebUiCollection.Name)]
public sealed partial class AuditPageTests(WebUiFixture fixture)
{
    [Fact(Timeout = 120_000)]
    public async Task Actions_and_reasons_read_in_korean_with_the_code_on_hover_and_stamps_stay_unmasked()
    {
        var admin = await fixture.CreateAccountAsync(Roles.Admin);
        var other = await fixture.CreateAccountAsync(Roles.Viewer);
        // A second login ends the first session: an auth.session_ended row with reason SUPERSEDED.
        using (var client = fixture.BackOffice.CreateClient())
        {
            for (var i = 0; i < 2; i++)
            {
                (await client.PostAsJsonAsync("/api/auth/login", new { username = other.LoginId, password = other.Password })).EnsureSuccessStatusCode();
            }
        }

        await using var browser = await BrowserSession.OpenAsync(fixture, 1600, 1000);
        var page = browser.Page;
        await browser.LoginAsync(admin);
        var id = await page.EvaluateAsync<long>(
            "async () => (await CD.api('POST', '/api/campaigns', { body: { clientName: '한빛상사', eventName: '감사로그 이벤트' } })).id");
        await ScheduleFarAheadAsync(id);
        await page.EvaluateAsync($"async () => {{ const e = await CD.api('POST', '/api/campaigns/{id}/export'); await CD.api('GET', '/api/exports/' + e.id + '/file', {{ as: 'blob' }}); }}");

        await browser.GoAsync("audit.html");
        await browser.ReadyAsync();
        // The filter is a select of Korean names; each option carries its code.
        Assert.Equal("SELECT", await page.EvalOnSelectorAsync<string>("#action", "e => e.tagName"));
        await Assertions.Expect(page.Locator("#action option[value='export.campaign_detail']")).ToHaveTextAsync("발송상세 엑셀 내려받기");
        await page.SelectOptionAsync("#action", "export.campaign_detail");
        await page.ClickAsync("#audit-search");
        var row = page.Locator("#audit-table tbody tr:not([hidden])").First;
        var action = row.Locator("td[data-action]");
        await Assertions.Expect(action).ToHaveTextAsync("발송상세 엑셀 내려받기");
        await Assertions.Expect(action).ToHaveAttributeAsync("title", "export.campaign_detail");
        await Assertions.Expect(row.Locator("td").Nth(3)).ToHaveTextAsync($"캠페인 #{id}");
        await row.Locator("button[aria-label='상세 보기']").ClickAsync();
        var details = page.Locator("#audit-table pre.cd-details").First;
        await Assertions.Expect(details).ToBeVisibleAsync();
        Assert.Matches(DetailFileName(), await details.InnerTextAsync());
        await browser.ScreenshotAsync("audit-export-row");

        // Reasons the system writes read in Korean too, the code on hover.
        await page.SelectOptionAsync("#action", "auth.session_ended");
        await page.FillAsync("#actor", other.LoginId);
        await page.ClickAsync("#audit-search");
        var ended = page.Locator("#audit-table tbody tr:not([hidden])").First;
        await Assertions.Expect(ended.Locator("td[data-action]")).ToHaveTextAsync("세션 종료");
        await Assertions.Expect(ended.Locator("td", new() { HasText = "다른 곳에서 로그인" })).ToHaveAttributeAsync("title", "SUPERSEDED");

        // Everything recorded today reads in Korean: no bare code in the 행위 column.
        await page.SelectOptionAsync("#action", "");
        await page.FillAsync("#actor", "");
        await page.ClickAsync("#audit-search");
        await Assertions.Expect(page.Locator("#audit-table td[data-action]").First).ToBeVisibleAsync();
        var shown = await page.Locator("#audit-table td[data-action]").AllInnerTextsAsync();
        Assert.All(shown, text => Assert.DoesNotMatch(Code(), text));
        await browser.ScreenshotAsync("audit-list");
        browser.AssertNoErrors();
    }

    private async Task ScheduleFarAheadAsync(long id)
    {
        await using var connection = await fixture.BackOffice.Services.GetRequiredService<DbConnectionFactory>().OpenAsync();
        var at = DateTime.UtcNow.AddDays(30);
        await connection.ExecuteAsync("UPDATE campaigns SET status = 'SCHEDULED', send_mode = 'AT', scheduled_at = @at, start_at = @at WHERE id = @id", new { id, at });
    }

    [GeneratedRegex(@"발송상세내역_C\d+_\d{12}\.xlsx")]
    private static partial Regex DetailFileName();

    [GeneratedRegex(@"^[a-z_]+\.[a-z_-]+$")]
    private static partial Regex Code();
}
