using System.Text.Json;
using CouponDesk.Data;
using CouponDesk.Security;
using CouponDesk.Security.Pii;
using CouponDesk.TestSupport;
using Dapper;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;

namespace CouponDesk.Web.Tests;

/// <summary>
/// Issue 14 point 15: no raw codes or untranslated names where an operator reads. Sender numbers are grouped by their
/// kind (1600-0000, 010-…-…, 02-…-…); GOODS_ID, TR_ID, SEND_TYPE "M" and the image size "Small" have Korean names (the
/// code stays on hover); the dashboard's failure chart reads the reason under its bar, with the code in the tooltip.
/// A back office of its own, because the failures it seeds would show on the shared one's dashboard.
/// </summary>
[Collection(WebUiCollection.Name)]
public sealed class KoreanLabelsTests(WebUiFixture fixture)
{
    [Fact(Timeout = 240_000)]
    public async Task Pages_show_korean_labels_formatted_sender_numbers_and_failure_reasons()
    {
        await using var stack = await WebStack.StartAsync("web", syncCatalog: true);
        var services = stack.BackOffice.Services;
        var campaign = await PipelineCampaigns.ScheduleAsync(
            services.GetRequiredService<DbConnectionFactory>(), services.GetRequiredService<PiiProtector>(), 2, firstPhone: 700,
            sendAtUtc: DateTime.UtcNow.AddDays(1), startAtUtc: DateTime.UtcNow.AddDays(1));
        await SeedSendFailuresAsync(stack, campaign);
        var admin = await stack.CreateAccountAsync(Roles.Admin);
        await using var browser = await BrowserSession.OpenAsync(fixture.Browser, stack.BaseAddress, 1600, 1000);
        var page = browser.Page;
        await browser.LoginAsync(admin);

        // One formatter for every number kind; anything that is not a known shape stays as typed.
        var formatted = await page.EvaluateAsync<JsonElement>(
            "() => ['16000000', '15881234', '01000001234', '0100000123', '021234567', '0212345678', '0311234567', '07012345678', '050512345678', '1234', '010-0000-1234', '', null]" +
            ".map((n) => CD.fmt.phone(n))");
        Assert.Equal(
            ["1600-0000", "1588-1234", "010-0000-1234", "010-000-0123", "02-123-4567", "02-1234-5678", "031-123-4567", "070-1234-5678", "0505-1234-5678", "1234", "010-0000-1234", "-", "-"],
            formatted.EnumerateArray().Select(e => e.GetString()));

        // 대시보드: the failure chart's axis reads the reason; the code is in the tooltip.
        var labels = await ChartLabelsAsync(page);
        Assert.Equal(["수신번호 에러", "CPS 초과, 재시도 필요"], labels.Data);
        Assert.Equal(["수신번호 에러", "CPS 초과, 재시도 필요"], labels.Ticks);
        Assert.Equal(["코드 31101", "코드 29002"], labels.Tooltips);
        await page.Locator("#failure-table").ScrollIntoViewIfNeededAsync();
        await browser.ScreenshotAsync("dashboard-failure-reasons");

        // 발송등록: the sender number list and the phone preview.
        await page.ClickAsync("#cd-menu [data-menu=register]");
        await browser.ReadyAsync();
        await Assertions.Expect(page.Locator("#senderNumber option:checked")).ToHaveTextAsync("1600-0000 · 대표번호");
        await Assertions.Expect(page.Locator("#phone-sender")).ToHaveTextAsync("1600-0000");

        // 발송 상세: the campaign's sender number.
        await browser.GoAsync($"campaign.html?id={campaign}");
        await browser.ReadyAsync();
        await Assertions.Expect(page.Locator("#campaign-panel dt:text-is('발신자 번호') + dd")).ToHaveTextAsync("1600-0000");

        // 상품: 상품코드 (GOODS_ID on hover), 발송타입 by name, image sizes by name.
        await page.ClickAsync("#cd-menu [data-menu=products]");
        await browser.ReadyAsync();
        var header = page.Locator("#product-table thead th", new() { HasTextString = "상품코드" });
        await Assertions.Expect(header).ToHaveAttributeAsync("title", "GOODS_ID");
        await Assertions.Expect(page.Locator("#product-table thead")).Not.ToContainTextAsync("GOODS_ID");
        await Assertions.Expect(page.Locator("#product-table tbody tr").First).ToBeVisibleAsync();
        var sendTypes = await page.Locator("#product-table tbody tr td:nth-child(8)").AllInnerTextsAsync();
        Assert.NotEmpty(sendTypes);
        Assert.All(sendTypes, text => Assert.Contains(text.Trim(), new[] { "MMS", "LMS", "SMS", "발송 안 함" }));
        await Assertions.Expect(page.Locator("#q")).ToHaveAttributeAsync("placeholder", "상품명, 상품코드 또는 교환처");
        await browser.ScreenshotAsync("products-list");
        await page.Locator("#product-table tbody tr a").First.ClickAsync();
        var dialog = page.Locator(".modal.show");
        await Assertions.Expect(dialog.Locator("figcaption").First).ToContainTextAsync("이미지");
        await Assertions.Expect(dialog).Not.ToContainTextAsync("Small");
        await Assertions.Expect(dialog).Not.ToContainTextAsync("Medium");
        await browser.ScreenshotAsync("products-detail-labels");
        await page.Keyboard.PressAsync("Escape");

        // 발급 확인 필요: 요청번호 (TR_ID on hover) and 상품코드.
        await page.ClickAsync("#cd-menu [data-menu=in-doubt]");
        await browser.ReadyAsync();
        await Assertions.Expect(page.Locator("#in-doubt-table thead th", new() { HasTextString = "요청번호" })).ToHaveAttributeAsync("title", new System.Text.RegularExpressions.Regex("^TR_ID"));
        await Assertions.Expect(page.Locator("#daily-table thead")).ToContainTextAsync("상품코드");
        var headers = string.Join(" | ", await page.Locator("main thead").AllInnerTextsAsync());
        Assert.DoesNotContain("TR_ID", headers, StringComparison.Ordinal);
        Assert.DoesNotContain("GOODS_ID", headers, StringComparison.Ordinal);
        browser.AssertNoErrors();
    }

    private sealed record ChartText(string[] Data, string[] Ticks, string[] Tooltips);

    /// <summary>The failure chart's data labels, the tick labels it draws under the bars and each bar's tooltip footer.</summary>
    private static async Task<ChartText> ChartLabelsAsync(IPage page)
    {
        await Assertions.Expect(page.Locator("#failure-table tbody tr")).ToHaveCountAsync(2);
        var chart = await page.EvaluateAsync<JsonElement>(
            """
            () => {
              const chart = Chart.getChart(document.getElementById('dash-failure-chart'));
              const x = chart.scales.x;
              return {
                data: chart.data.labels,
                ticks: x.ticks.map((t) => t.label),
                tooltips: chart.data.labels.map((_, i) => chart.options.plugins.tooltip.callbacks.afterLabel({ dataIndex: i }))
              };
            }
            """);
        string[] Strings(string name) => [.. chart.GetProperty(name).EnumerateArray().Select(e => e.GetString() ?? "")];
        return new ChartText(Strings("data"), Strings("ticks"), Strings("tooltips"));
    }

    /// <summary>Today's failed messages of the campaign: three "수신번호 에러" (31101), one "CPS 초과" (29002).</summary>
    private static async Task SeedSendFailuresAsync(WebStack stack, long campaign)
    {
        var pii = stack.BackOffice.Services.GetRequiredService<PiiProtector>();
        await using var c = await stack.OpenAsync();
        var now = DateTime.UtcNow;
        string[] codes = ["31101", "31101", "31101", "29002"];
        for (var i = 0; i < codes.Length; i++)
        {
            await c.ExecuteAsync(
                """
                INSERT INTO messages (id, client_key, campaign_id, attempt_no, message_type, phone_enc, callback_number, req_at, reserved, status, outcome, done_code, done_code_desc, created_at, updated_at)
                VALUES (@id, @key, @campaign, 1, 'INITIAL', @phone, '16000000', @now, 0, 'FAILURE', NULL, @code, '사유', @now, @now)
                """, new { id = 9_000_000 + i, key = "LBL" + i, campaign, phone = pii.Encrypt($"0100000{701 + i:D4}"), code = codes[i], now });
        }
    }
}
