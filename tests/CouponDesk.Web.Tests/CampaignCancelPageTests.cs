using CouponDesk.Data;
using CouponDesk.Security;
using CouponDesk.Security.Pii;
using CouponDesk.TestSupport;
using Dapper;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;

namespace CouponDesk.Web.Tests;

/// <summary>
/// Issue 24: an operator stops a wrong campaign in the first minute after its send time with one action — 일괄취소 on the
/// detail page, whose dialog names what it will affect — and no refusal sends them anywhere else.
/// </summary>
[Collection(WebUiCollection.Name)]
public sealed class CampaignCancelPageTests(WebUiFixture fixture)
{
    private const int Recipients = 5;

    [Fact(Timeout = 120_000)]
    public async Task A_campaign_is_cancelled_in_its_first_minute_with_one_action()
    {
        var operatorAccount = await fixture.CreateAccountAsync(Roles.Operator);
        using var snap = fixture.Stack.Snap.CreateClient();
        // The agent is slow to poll: the send time has passed, the campaign is SENDING and nothing has been taken yet.
        (await snap.PostAsync("_control/pause", null)).EnsureSuccessStatusCode();
        try
        {
            var services = fixture.BackOffice.Services;
            var id = await PipelineCampaigns.ScheduleAsync(services.GetRequiredService<DbConnectionFactory>(), services.GetRequiredService<PiiProtector>(), Recipients, firstPhone: 640);
            await fixture.Stack.WaitForStatusAsync(id, "SENDING");
            await WaitQueuedAsync(id);

            await using var browser = await BrowserSession.OpenAsync(fixture, 1920, 1080);
            var page = browser.Page;
            await browser.LoginAsync(operatorAccount);
            await browser.GoAsync($"campaign.html?id={id}");
            await browser.ReadyAsync();
            await Assertions.Expect(page.Locator("#campaign-panel")).ToContainTextAsync("발송중");
            // One cancel action: no separate 미발송분 취소 beside it.
            await Assertions.Expect(page.Locator("#campaign-actions button.btn-outline-danger:visible")).ToHaveCountAsync(1);

            await page.ClickAsync("#campaign-cancel");
            var dialog = page.Locator(".modal[data-cd-state=shown]");
            await Assertions.Expect(dialog).ToContainTextAsync("발송 건을 일괄 취소합니다");
            await Assertions.Expect(dialog).ToContainTextAsync($"아직 발송되지 않은 {Recipients}건을 취소합니다");
            await Assertions.Expect(dialog).ToContainTextAsync($"발급된 쿠폰 {Recipients}건은 공급사에 취소 요청됩니다");
            // A reason is required before it goes out.
            await dialog.Locator("button", new LocatorLocatorOptions { HasText = "캠페인 취소" }).ClickAsync();
            await Assertions.Expect(page.Locator("#cancel-reason")).ToHaveClassAsync(new System.Text.RegularExpressions.Regex("is-invalid"));
            await page.FillAsync("#cancel-reason", "잘못 등록된 캠페인");
            await dialog.Locator("button", new LocatorLocatorOptions { HasText = "캠페인 취소" }).ClickAsync();

            await Assertions.Expect(page.Locator(".cd-toast")).ToContainTextAsync("발송이 취소되었습니다.");
            await Assertions.Expect(page.Locator("#action-alert")).ToBeHiddenAsync();
            // CANCELLING until the coupons are cancelled at COUFUN: messages withdrawn after their send time are
            // best-effort, so their coupons wait CouponCancels:BestEffortGraceSeconds (D-SNAP-5) — longer than this test.
            await fixture.Stack.WaitForStatusAsync(id, "CANCELLING", "CANCELLED");
            await Assertions.Expect(page.Locator("#campaign-panel")).ToContainTextAsync("취소");
            await Assertions.Expect(page.Locator("#campaign-cancel")).ToBeHiddenAsync();
            await browser.ScreenshotAsync("campaign-cancelled-first-minute");
            browser.AssertNoErrors();

            await using var c = await fixture.Stack.OpenAsync();
            Assert.Equal(Recipients, await c.ExecuteScalarAsync<int>("SELECT COUNT(*) FROM delivery_items WHERE campaign_id = @id AND status = 'CANCELLED'", new { id }));
            Assert.Equal(0, await c.ExecuteScalarAsync<int>(
                "SELECT COUNT(*) FROM UMS_MSG u JOIN messages m ON m.client_key = u.CLIENT_KEY COLLATE utf8mb4_unicode_ci WHERE m.campaign_id = @id", new { id }));
        }
        finally
        {
            (await snap.PostAsync("_control/resume", null)).EnsureSuccessStatusCode();
        }
    }

    private async Task WaitQueuedAsync(long id)
    {
        await using var c = await fixture.Stack.OpenAsync();
        while (await c.ExecuteScalarAsync<int>("SELECT COUNT(*) FROM delivery_items WHERE campaign_id = @id AND status = 'QUEUED'", new { id }) < Recipients)
        {
            await Task.Delay(250);
        }
    }
}
