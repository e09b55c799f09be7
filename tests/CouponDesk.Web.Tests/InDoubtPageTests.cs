using CouponDesk.Data;
using CouponDesk.Security;
using CouponDesk.Security.Pii;
using CouponDesk.TestSupport;
using Dapper;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;

namespace CouponDesk.Web.Tests;

/// <summary>발급 확인 필요 (spec §3.10, P23): an ADMIN settles an in-doubt order; an OPERATOR only reads; a VIEWER has no menu.</summary>
[Collection(WebUiCollection.Name)]
public sealed class InDoubtPageTests(WebUiFixture fixture)
{
    [Fact(Timeout = 120_000)]
    public async Task An_admin_settles_an_in_doubt_order_and_an_operator_sees_it_read_only()
    {
        var (orderId, trId) = await InDoubtOrderAsync();
        var admin = await fixture.CreateAccountAsync(Roles.Admin);

        await using (var browser = await BrowserSession.OpenAsync(fixture, 1920, 1080))
        {
            var page = browser.Page;
            await browser.LoginAsync(admin);
            await page.ClickAsync("#cd-menu [data-menu=in-doubt]");
            await browser.ReadyAsync();
            var row = page.Locator($"#in-doubt-table tbody tr[data-order='{orderId}']");
            await Assertions.Expect(row).ToContainTextAsync(trId);
            await Assertions.Expect(row).ToContainTextAsync("미확인");
            await Assertions.Expect(page.Locator("#daily-table tbody")).ToContainTextAsync(trId);
            await browser.ScreenshotAsync("in-doubt");

            await row.Locator("[data-action=settle]").ClickAsync();
            var dialog = page.Locator(".modal.show");
            await Assertions.Expect(dialog).ToContainTextAsync("발급 확인 정리");
            // The memo is required; a bad coupon number comes back from the server and is shown under its field.
            await dialog.Locator("button", new LocatorLocatorOptions { HasText = "정리" }).Last.ClickAsync();
            await Assertions.Expect(dialog.Locator(".invalid-feedback")).ToHaveTextAsync("메모를 입력해 주세요.");
            await dialog.Locator("#outcome-ISSUED").CheckAsync();
            await dialog.Locator("#couponNumbers").FillAsync("쿠폰번호");
            await dialog.Locator("#memo").FillAsync("공급사 확인 중");
            await dialog.Locator("button", new LocatorLocatorOptions { HasText = "정리" }).Last.ClickAsync();
            await Assertions.Expect(dialog.Locator(".invalid-feedback")).ToContainTextAsync("1번째 줄: 쿠폰번호 형식이 올바르지 않습니다");
            await browser.ScreenshotAsync("in-doubt-settle");

            await dialog.Locator("#outcome-NOT_ISSUED").CheckAsync();
            await dialog.Locator("#memo").FillAsync("공급사 확인: 생성 내역 없음");
            await dialog.Locator("button", new LocatorLocatorOptions { HasText = "정리" }).Last.ClickAsync();
            await Assertions.Expect(page.Locator(".modal.show")).ToHaveCountAsync(0);
            await Assertions.Expect(row).ToHaveCountAsync(0);

            await page.SelectOptionAsync("#status", "all");
            await page.ClickAsync("#in-doubt-search");
            await Assertions.Expect(row).ToContainTextAsync("미발급 확인");
            await Assertions.Expect(row).ToContainTextAsync(admin.LoginId);
            await Assertions.Expect(row.Locator("[data-action=settle]")).ToHaveCountAsync(0);
            browser.AssertNoErrors();
        }

        await using var database = await fixture.BackOffice.Services.GetRequiredService<DbConnectionFactory>().OpenAsync();
        Assert.Equal("SETTLED_NOT_ISSUED", await database.ExecuteScalarAsync<string>("SELECT status FROM issuance_orders WHERE id = @orderId", new { orderId }));

        var (openId, openTr) = await InDoubtOrderAsync();
        var operatorAccount = await fixture.CreateAccountAsync(Roles.Operator);
        await using (var browser = await BrowserSession.OpenAsync(fixture))
        {
            var page = browser.Page;
            await browser.LoginAsync(operatorAccount);
            await page.ClickAsync("#cd-menu [data-menu=in-doubt]");
            await browser.ReadyAsync();
            var row = page.Locator($"#in-doubt-table tbody tr[data-order='{openId}']");
            await Assertions.Expect(row).ToContainTextAsync(openTr);
            await Assertions.Expect(row).ToContainTextAsync("조회 전용");
            await Assertions.Expect(page.Locator("[data-action=settle]")).ToHaveCountAsync(0);
            await browser.ScreenshotAsync("in-doubt-operator");
            browser.AssertNoErrors();
        }

        var viewer = await fixture.CreateAccountAsync(Roles.Viewer);
        await using (var browser = await BrowserSession.OpenAsync(fixture))
        {
            await browser.LoginAsync(viewer);
            await Assertions.Expect(browser.Page.Locator("#cd-menu [data-menu=in-doubt]")).ToHaveCountAsync(0);
            await browser.GoAsync("in-doubt.html");
            await browser.Page.WaitForURLAsync("**/index.html");
            await Assertions.Expect(browser.Page.Locator("#cd-flash")).ToContainTextAsync("접근 권한이 없는 메뉴입니다.");
        }
    }

    /// <summary>An in-doubt order as the pipeline leaves it after a lost create answer, on a finished campaign.</summary>
    private async Task<(long Id, string TrId)> InDoubtOrderAsync()
    {
        var services = fixture.BackOffice.Services;
        var campaign = await PipelineCampaigns.ScheduleAsync(services.GetRequiredService<DbConnectionFactory>(), services.GetRequiredService<PiiProtector>(), 1, firstPhone: 900);
        var trId = "CDTW" + Guid.NewGuid().ToString("N")[..16].ToUpperInvariant();
        await using var c = await services.GetRequiredService<DbConnectionFactory>().OpenAsync();
        await c.ExecuteAsync("UPDATE campaigns SET status = 'COMPLETED' WHERE id = @campaign", new { campaign });
        var now = DateTime.UtcNow;
        var id = await c.ExecuteScalarAsync<long>(
            """
            INSERT INTO issuance_orders (campaign_id, tr_id, goods_id, create_cnt, unit_price, status, calls, answer_lost, next_attempt_at, result_code, failure, created_at, requested_at, updated_at)
            VALUES (@campaign, @trId, @goods, 2, 4500, 'IN_DOUBT', 2, 1, @now, '12', 'no answer (TimeoutRejectedException)', @now, @now, @now);
            SELECT LAST_INSERT_ID();
            """, new { campaign, trId, goods = PipelineCampaigns.GoodsId, now });
        return (id, trId);
    }
}
