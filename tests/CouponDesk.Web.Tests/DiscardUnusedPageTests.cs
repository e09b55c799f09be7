using System.Net.Http.Json;
using CouponDesk.Data;
using CouponDesk.Features.Coupons;
using CouponDesk.Security;
using CouponDesk.Security.Pii;
using CouponDesk.TestSupport;
using Dapper;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;

namespace CouponDesk.Web.Tests;

/// <summary>
/// 미사용 쿠폰 일괄 폐기 on the campaign detail (spec §3.3.3, P9): only an ADMIN sees the button on a finished campaign;
/// the dialog holds until the event name is typed exactly; the result (counts and state) is shown and the COUFUN
/// stand-in has the coupons cancelled. An OPERATOR does not see the button.
/// </summary>
[Collection(WebUiCollection.Name)]
public sealed class DiscardUnusedPageTests(WebUiFixture fixture)
{
    [Fact(Timeout = 120_000)]
    public async Task An_admin_discards_the_unused_coupons_after_typing_the_event_name()
    {
        var (campaign, numbers) = await FinishedCampaignAsync(2);
        var admin = await fixture.CreateAccountAsync(Roles.Admin);

        await using (var browser = await BrowserSession.OpenAsync(fixture, 1920, 1080))
        {
            var page = browser.Page;
            await browser.LoginAsync(admin);
            await browser.GoAsync($"campaign.html?id={campaign}");
            await browser.ReadyAsync();
            var button = page.Locator("#campaign-discard-unused");
            await Assertions.Expect(button).ToBeVisibleAsync();
            await button.ClickAsync();
            var dialog = page.Locator(".modal.show");
            await Assertions.Expect(dialog).ToContainTextAsync("미사용 쿠폰 일괄 폐기");
            await Assertions.Expect(dialog).ToContainTextAsync("되돌릴 수 없습니다");

            // A wrong name keeps the dialog open and calls nothing.
            await dialog.Locator("#discard-event-name").FillAsync("다른 이벤트");
            await dialog.Locator("button", new LocatorLocatorOptions { HasText = "일괄 폐기" }).Last.ClickAsync();
            await Assertions.Expect(dialog.Locator("#discard-event-name")).ToHaveClassAsync(new System.Text.RegularExpressions.Regex("is-invalid"));
            Assert.Equal("000", await StandInStatusAsync(numbers[0]));
            await browser.ScreenshotAsync("discard-unused-dialog");

            await dialog.Locator("#discard-event-name").FillAsync("파이프라인 테스트");
            await dialog.Locator("button", new LocatorLocatorOptions { HasText = "일괄 폐기" }).Last.ClickAsync();
            await Assertions.Expect(page.Locator(".modal.show")).ToHaveCountAsync(0);
            var alert = page.Locator("#action-alert");
            await Assertions.Expect(alert).ToContainTextAsync("미사용 쿠폰 일괄 폐기 완료");
            await Assertions.Expect(alert).ToContainTextAsync("대상 2건, 폐기 2건");
            await browser.ScreenshotAsync("discard-unused-done");
            browser.AssertNoErrors();
        }

        Assert.Equal("100", await StandInStatusAsync(numbers[0]));
        Assert.Equal("100", await StandInStatusAsync(numbers[1]));

        var operatorAccount = await fixture.CreateAccountAsync(Roles.Operator);
        await using (var browser = await BrowserSession.OpenAsync(fixture))
        {
            await browser.LoginAsync(operatorAccount);
            await browser.GoAsync($"campaign.html?id={campaign}");
            await browser.ReadyAsync();
            await Assertions.Expect(browser.Page.Locator("#campaign-title")).ToContainTextAsync("파이프라인 테스트");
            await Assertions.Expect(browser.Page.Locator("#campaign-discard-unused")).ToBeHiddenAsync();
            browser.AssertNoErrors();
        }
    }

    /// <summary>A COMPLETED campaign whose <paramref name="count"/> delivered items hold coupons bought at the stand-in.</summary>
    private async Task<(long Campaign, IReadOnlyList<string> Numbers)> FinishedCampaignAsync(int count)
    {
        var services = fixture.BackOffice.Services;
        var connections = services.GetRequiredService<DbConnectionFactory>();
        var campaign = await PipelineCampaigns.ScheduleAsync(connections, services.GetRequiredService<PiiProtector>(), count, firstPhone: 980, sendAtUtc: DateTime.UtcNow.AddDays(3), startAtUtc: DateTime.UtcNow.AddDays(3));
        var trId = "CDTD" + Guid.NewGuid().ToString("N")[..16].ToUpperInvariant();
        using (var response = await fixture.StandIn.PostAsync("coufunCreate.do", $"POC_ID=TESTPOC01&GOODS_ID={PipelineCampaigns.GoodsId}&CREATE_CNT={count}&TR_ID={trId}"))
        {
            response.EnsureSuccessStatusCode();
        }

        var orders = await fixture.StandIn.Client.GetFromJsonAsync<List<StandInOrder>>($"_control/orders?trId={trId}");
        var numbers = orders!.SelectMany(o => o.Coupons).Select(k => k.BarcodeNum).ToList();
        var coupons = services.GetRequiredService<CouponRepository>();
        var now = DateTime.UtcNow;
        await using var c = await connections.OpenAsync();
        await c.ExecuteAsync("UPDATE campaigns SET status = 'COMPLETED' WHERE id = @campaign", new { campaign });
        await using (var tx = await c.BeginTransactionAsync())
        {
            await coupons.InsertIssuedAsync(c, tx,
                [.. numbers.Select(n => new IssuedCoupon(n, PipelineCampaigns.GoodsId, CouponType.Barcode, 4500, 4230, DateOnly.FromDateTime(now.AddDays(30)), null, trId, null, null, now))]);
            await tx.CommitAsync();
        }

        var listId = await c.ExecuteScalarAsync<long>("SELECT recipient_list_id FROM campaigns WHERE id = @campaign", new { campaign });
        for (var i = 0; i < numbers.Count; i++)
        {
            var couponId = await c.ExecuteScalarAsync<long>("SELECT id FROM coupons WHERE coupon_number_index = @x", new { x = coupons.IndexOf(numbers[i]) });
            await c.ExecuteAsync(
                "INSERT INTO delivery_items (campaign_id, list_id, seq, status, coupon_id, ever_delivered, created_at, updated_at) VALUES (@campaign, @listId, @seq, 'SENT', @couponId, 1, @now, @now)",
                new { campaign, listId, seq = i + 1, couponId, now });
        }

        return (campaign, numbers);
    }

    private async Task<string> StandInStatusAsync(string number)
    {
        var found = await (await fixture.StandIn.Client.PostAsJsonAsync("_control/coupons/find", new { barcodeNum = number })).Content.ReadFromJsonAsync<StandInCoupon>();
        return found!.Status;
    }

    private sealed record StandInOrder(string? TrId, List<StandInCoupon> Coupons);

    private sealed record StandInCoupon(string BarcodeNum, string Status);
}
