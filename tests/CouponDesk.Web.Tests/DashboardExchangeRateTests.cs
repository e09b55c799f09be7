using System.Globalization;
using CouponDesk.Data;
using CouponDesk.Features.Coupons;
using CouponDesk.Security;
using Dapper;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;

namespace CouponDesk.Web.Tests;

/// <summary>
/// Issue 17 point 9 on the dashboard itself: 교환률 of the recent sent campaigns — used ÷ delivered in the table and the
/// cumulative rate by KST day in the chart — for every role, with no console error or 5xx. The campaign is written as
/// the pipeline and the status sync leave it (this fixture runs no worker).
/// </summary>
[Collection(WebUiCollection.Name)]
public sealed class DashboardExchangeRateTests(WebUiFixture fixture)
{
    [Fact(Timeout = 120_000)]
    public async Task The_dashboard_shows_the_exchange_rate_of_a_recent_campaign_with_its_curve()
    {
        var viewer = await fixture.CreateAccountAsync(Roles.Viewer);
        var id = await SeedAsync(delivered: 10, usedPerDay: [2, 1, 1]);

        await using var browser = await BrowserSession.OpenAsync(fixture, 1920, 1080);
        var page = browser.Page;
        await browser.LoginAsync(viewer);
        await browser.ReadyAsync();

        var row = page.Locator($"#exchange-rows tr[data-exchange-campaign='{id}']");
        await Assertions.Expect(row).ToContainTextAsync("교환률 대시보드 이벤트");
        await Assertions.Expect(row.Locator("td:nth-child(3)")).ToHaveTextAsync("10");
        await Assertions.Expect(row.Locator("td:nth-child(4)")).ToHaveTextAsync("4");
        await Assertions.Expect(row.Locator(".cd-exchange-rate")).ToHaveTextAsync("40.0%");
        await Assertions.Expect(page.Locator("#exchange-dash-chart-box")).ToBeVisibleAsync();
        await Assertions.Expect(page.Locator("#exchange-dash-empty")).ToBeHiddenAsync();
        await Assertions.Expect(page.Locator("#exchange-window")).ToHaveTextAsync("최근 60일 발송 캠페인");
        await page.Locator("#exchange-dash-card").ScrollIntoViewIfNeededAsync();
        await browser.ScreenshotAsync("dashboard-exchange");
        browser.AssertNoErrors();
    }

    /// <summary>A COMPLETED campaign sent 4 days ago: <paramref name="delivered"/> items delivered, coupons first used on consecutive days.</summary>
    private async Task<long> SeedAsync(int delivered, int[] usedPerDay)
    {
        var services = fixture.BackOffice.Services;
        await using var c = await services.GetRequiredService<DbConnectionFactory>().OpenAsync();
        var now = DateTime.UtcNow;
        var sentAt = now.AddDays(-4);
        var id = await c.ExecuteScalarAsync<long>(
            """
            INSERT INTO campaigns (status, client_name, event_name, send_mode, scheduled_at, start_at, goods_id, product_name, supply_price, list_price,
              coupon_type, sender_number, mms_title, mms_body, recipient_count, cost_estimate, created_at, updated_at)
            VALUES ('COMPLETED', '교환상사', '교환률 대시보드 이벤트', 'AT', @sentAt, @sentAt, '0000000101', '아메리카노 T', 4230, 4500,
              'BARCODE', '16000000', '[테스트] 쿠폰 도착', '테스트 본문', @delivered, 45000, @sentAt, @now);
            SELECT LAST_INSERT_ID();
            """, new { sentAt, delivered, now });
        var numbers = Enumerable.Range(0, delivered).Select(_ => "95" + Random.Shared.NextInt64(1_000_000_000, 9_999_999_999).ToString(CultureInfo.InvariantCulture)).ToList();
        var coupons = services.GetRequiredService<CouponRepository>();
        await using (var tx = await c.BeginTransactionAsync())
        {
            await coupons.InsertIssuedAsync(c, tx, [.. numbers.Select(n => new IssuedCoupon(n, "0000000101", "BARCODE", 4500, 4230, DateOnly.FromDateTime(now.AddDays(30)), null, null, null, null, sentAt))]);
            await tx.CommitAsync();
        }

        var used = 0;
        for (var seq = 1; seq <= delivered; seq++)
        {
            var couponId = (await coupons.FindByNumberAsync(numbers[seq - 1]))!.Id;
            await c.ExecuteAsync(
                "INSERT INTO delivery_items (campaign_id, list_id, seq, status, coupon_id, ever_delivered, created_at, updated_at) VALUES (@id, 0, @seq, 'SENT', @couponId, 1, @sentAt, @now)",
                new { id, seq, couponId, sentAt, now });
            var (sum, usedDay) = (0, -1);
            for (var d = 0; d < usedPerDay.Length; d++)
            {
                sum += usedPerDay[d];
                if (seq <= sum)
                {
                    usedDay = d;
                    break;
                }
            }

            if (usedDay < 0)
            {
                continue;
            }

            used++;
            var at = sentAt.AddDays(usedDay + 1);
            await c.ExecuteAsync("UPDATE coupons SET status = 'USED', used_amount = 4500, balance = 0, last_exchange_at = @at WHERE id = @couponId", new { couponId, at });
            await c.ExecuteAsync(
                "INSERT INTO coupon_status_history (coupon_id, source, old_status, new_status, old_balance, new_balance, occurred_at) VALUES (@couponId, 'PUSH', 'UNUSED', 'USED', 4500, 0, @at)",
                new { couponId, at });
        }

        Assert.Equal(usedPerDay.Sum(), used);
        return id;
    }
}
