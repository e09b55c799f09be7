using System.Globalization;
using System.Text.RegularExpressions;
using CouponDesk.Data;
using CouponDesk.Security;
using CouponDesk.Security.Pii;
using Dapper;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;

namespace CouponDesk.Web.Tests;

/// <summary>
/// 발송 상세 of a finished campaign (spec §3.3.3): the recipient table is masked, its filter chips and exact search work,
/// 실패 건 재시도 is offered to staff and sends its request, a VIEWER sees no action button. The campaign is written as
/// the pipeline leaves it (this fixture runs no worker or agent).
/// </summary>
[Collection(WebUiCollection.Name)]
public sealed partial class CampaignDetailTableTests(WebUiFixture fixture)
{
    [Fact(Timeout = 120_000)]
    public async Task A_finished_campaign_shows_its_recipients_masked_with_filters_search_and_role_aware_actions()
    {
        var operatorAccount = await fixture.CreateAccountAsync(Roles.Operator);
        var viewer = await fixture.CreateAccountAsync(Roles.Viewer);
        var seeded = await SeedFinishedCampaignAsync();

        await using (var browser = await BrowserSession.OpenAsync(fixture, 1920, 1080))
        {
            var page = browser.Page;
            var posts = new List<string>();
            page.Request += (_, request) =>
            {
                if (request.Method == "POST" && request.Url.Contains("/pipeline/", StringComparison.Ordinal))
                {
                    posts.Add(new Uri(request.Url).AbsolutePath);
                }
            };
            await browser.LoginAsync(operatorAccount);
            await browser.GoAsync($"campaign.html?id={seeded.Id}");
            await browser.ReadyAsync();

            var rows = page.Locator("#recipient-table tbody tr[data-item]");
            await Assertions.Expect(rows).ToHaveCountAsync(8);
            await Assertions.Expect(page.Locator("#campaign-title-count")).ToHaveTextAsync("(표시 8 / 전체 8건)");
            foreach (var phone in await page.Locator("#recipient-table tbody tr[data-item] td:nth-child(2)").AllTextContentsAsync())
            {
                Assert.Matches(MaskedPhone(), phone);
            }

            var html = await page.ContentAsync();
            foreach (var number in seeded.CouponNumbers)
            {
                Assert.DoesNotContain(number, html, StringComparison.Ordinal);
            }

            Assert.DoesNotContain("0100000", html, StringComparison.Ordinal);

            // Filter chips.
            await page.ClickAsync("label[for=filter-failed]");
            await Assertions.Expect(rows).ToHaveCountAsync(2);
            await page.ClickAsync("label[for=filter-issue_failed]");
            await Assertions.Expect(rows).ToHaveCountAsync(1);
            await Assertions.Expect(rows.First).ToContainTextAsync("발급실패");
            await page.ClickAsync("label[for=filter-used]");
            await Assertions.Expect(rows).ToHaveCountAsync(1);
            await Assertions.Expect(rows.First).ToContainTextAsync("교환");

            // Exact search: last 4 of a coupon number, then a full phone number; a hostile key is refused in Korean.
            await page.ClickAsync("label[for=filter-all]");
            await Assertions.Expect(rows).ToHaveCountAsync(8);
            await page.FillAsync("#recipient-q", seeded.CouponNumbers[2][^4..]);
            await page.PressAsync("#recipient-q", "Enter");
            await Assertions.Expect(rows).ToHaveCountAsync(1);
            await Assertions.Expect(rows.First.Locator("td").Nth(2)).ToHaveTextAsync(new Regex(Regex.Escape(seeded.CouponNumbers[2][^4..]) + "$"));
            await page.FillAsync("#recipient-q", "010-0000-0905");
            await page.PressAsync("#recipient-q", "Enter");
            await Assertions.Expect(rows).ToHaveCountAsync(1);
            await Assertions.Expect(rows.First.Locator("td").First).ToHaveTextAsync("5");
            await page.FillAsync("#recipient-q", "<b>1</b>");
            await page.PressAsync("#recipient-q", "Enter");
            await Assertions.Expect(page.Locator("#recipient-alert")).ToContainTextAsync("영문과 숫자로만");
            await page.FillAsync("#recipient-q", "");
            await page.PressAsync("#recipient-q", "Enter");
            await Assertions.Expect(rows).ToHaveCountAsync(8);

            // Staff actions for a PARTIALLY_FAILED campaign: 실패 건 재시도 yes, 미발송분 취소 / pause / resume no.
            await Assertions.Expect(page.Locator("#campaign-retry-failed")).ToBeVisibleAsync();
            await Assertions.Expect(page.Locator("#campaign-cancel-unsent")).ToBeHiddenAsync();
            await Assertions.Expect(page.Locator("#campaign-pause")).ToBeHiddenAsync();
            await Assertions.Expect(page.Locator("#campaign-resume")).ToBeHiddenAsync();
            await Assertions.Expect(page.Locator("#campaign-export")).ToBeVisibleAsync();
            await browser.ScreenshotAsync("campaign-detail-recipients");

            await page.ClickAsync("#campaign-retry-failed");
            var dialog = page.Locator(".modal.show");
            await Assertions.Expect(dialog).ToContainTextAsync("실패 2건을 재시도하시겠습니까?");
            await dialog.Locator("button", new LocatorLocatorOptions { HasText = "확인" }).ClickAsync();
            // The server takes the retryable failures back into the pipeline; the page says how many and reloads.
            await Assertions.Expect(page.Locator(".cd-toast")).ToContainTextAsync(new Regex("[0-9]+건을 다시 발송합니다"));
            await Assertions.Expect(page.Locator("#action-alert")).ToBeHiddenAsync();
            Assert.Equal([$"/api/campaigns/{seeded.Id}/pipeline/retry-failed"], posts);
            browser.AssertNoErrors();
        }

        await using var viewerBrowser = await BrowserSession.OpenAsync(fixture);
        var viewerPage = viewerBrowser.Page;
        await viewerBrowser.LoginAsync(viewer);
        await viewerBrowser.GoAsync($"campaign.html?id={seeded.Id}");
        await viewerBrowser.ReadyAsync();
        await Assertions.Expect(viewerPage.Locator("#recipient-table tbody tr[data-item]")).ToHaveCountAsync(8);
        foreach (var id in new[] { "#campaign-retry-failed", "#campaign-cancel-unsent", "#campaign-cancel", "#campaign-pause", "#campaign-resume" })
        {
            await Assertions.Expect(viewerPage.Locator(id)).ToBeHiddenAsync();
        }

        await viewerBrowser.ScreenshotAsync("campaign-detail-viewer");
        viewerBrowser.AssertNoErrors();
    }

    private sealed record Seeded(long Id, List<string> CouponNumbers);

    /// <summary>
    /// A PARTIALLY_FAILED campaign of 8 recipients (010-0000-0901…0908): 1–5 sent and unused, 6 sent and used, 7 send
    /// failed, 8 issue failed.
    /// </summary>
    private async Task<Seeded> SeedFinishedCampaignAsync()
    {
        var pii = fixture.BackOffice.Services.GetRequiredService<PiiProtector>();
        await using var c = await fixture.BackOffice.Services.GetRequiredService<DbConnectionFactory>().OpenAsync();
        var now = DateTime.UtcNow;
        var id = await c.ExecuteScalarAsync<long>(
            """
            INSERT INTO campaigns (status, client_name, event_name, send_mode, scheduled_at, start_at, goods_id, product_name, supply_price, list_price,
              coupon_type, sender_number, mms_title, mms_body, recipient_count, cost_estimate, created_at, updated_at)
            VALUES ('PARTIALLY_FAILED', '한빛상사', '완료 캠페인', 'AT', @at, @at, '0000000101', '아메리카노 T', 4230, 4500,
              'BARCODE', '16000000', '[테스트] 쿠폰 도착', '테스트 본문', 8, 36000, @now, @now);
            SELECT LAST_INSERT_ID();
            """, new { at = now.AddHours(-2), now });
        var listId = await c.ExecuteScalarAsync<long>(
            """
            INSERT INTO recipient_lists (campaign_id, status, source, total_rows, valid_count, error_count, duplicate_count, created_at, accepted_at)
            VALUES (@id, 'ACCEPTED', 'QUICK', 8, 8, 0, 0, @now, @now);
            SELECT LAST_INSERT_ID();
            """, new { id, now });
        await c.ExecuteAsync("UPDATE campaigns SET recipient_list_id = @listId WHERE id = @id", new { listId, id });
        var numbers = new List<string>();
        for (var seq = 1; seq <= 8; seq++)
        {
            var phone = "01000000" + (900 + seq).ToString(CultureInfo.InvariantCulture);
            await c.ExecuteAsync(
                "INSERT INTO recipient_list_rows (list_id, seq, source_row, phone_enc, phone_bidx) VALUES (@listId, @seq, @row, @enc, @bidx)",
                new { listId, seq, row = seq + 1, enc = pii.Encrypt(phone), bidx = pii.PhoneBlindIndex(phone) });
            long? couponId = null;
            if (seq < 8)
            {
                var number = "9" + Random.Shared.NextInt64(10_000_000_000, 99_999_999_999).ToString(CultureInfo.InvariantCulture);
                numbers.Add(number);
                couponId = await c.ExecuteScalarAsync<long>(
                    """
                    INSERT INTO coupons (coupon_number_enc, coupon_number_index, coupon_number_last4, key_version, goods_id, coupon_type, status, face_value, price,
                      balance, valid_until, order_id, last_exchange_at, issued_at, created_at, updated_at)
                    VALUES (@enc, @idx, @last4, @kv, '0000000101', 'BARCODE', @status, 4500, 4230, 4500, @valid, @orderId, @exchanged, @now, @now, @now);
                    SELECT LAST_INSERT_ID();
                    """,
                    new
                    {
                        enc = pii.Encrypt(number),
                        idx = pii.CouponBlindIndex(number),
                        last4 = number[^4..],
                        kv = pii.ActiveKeyVersion,
                        status = seq == 6 ? "USED" : "UNUSED",
                        valid = now.Date.AddDays(30),
                        orderId = "ORD" + seq.ToString("D6", CultureInfo.InvariantCulture),
                        exchanged = seq == 6 ? now.AddMinutes(-30) : (DateTime?)null,
                        now,
                    });
            }

            var status = seq switch { 7 => "SEND_FAILED", 8 => "ISSUE_FAILED", _ => "SENT" };
            await c.ExecuteAsync(
                """
                INSERT INTO delivery_items (campaign_id, list_id, seq, status, coupon_id, ever_delivered, failure_code, failure_reason, created_at, updated_at)
                VALUES (@id, @listId, @seq, @status, @couponId, @delivered, @code, @reason, @now, @now)
                """,
                new
                {
                    id,
                    listId,
                    seq,
                    status,
                    couponId,
                    delivered = status == "SENT",
                    code = seq switch { 7 => "40002", 8 => "01", _ => null },
                    reason = seq switch { 7 => "수신 거부", 8 => "상품 판매 중지", _ => null },
                    now,
                });
        }

        await c.ExecuteAsync(
            "INSERT INTO campaign_runs (campaign_id, item_count, started_at, all_queued_at, finished_at, updated_at) VALUES (@id, 8, @start, @start, @now, @now)",
            new { id, start = now.AddHours(-2), now });
        return new Seeded(id, numbers);
    }

    [GeneratedRegex(@"^010-\*\*\*\*-\d{4}$")]
    private static partial Regex MaskedPhone();
}
