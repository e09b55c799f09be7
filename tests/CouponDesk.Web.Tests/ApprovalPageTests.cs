using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using CouponDesk.Data;
using CouponDesk.Security;
using CouponDesk.Security.Pii;
using CouponDesk.TestSupport;
using Dapper;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;

namespace CouponDesk.Web.Tests;

/// <summary>
/// Two-person approval end to end in two browsers (spec §1.3, §3.9; issue 18 "Done when"): an operator asks for a
/// resend, a number change and a campaign cancel — each dialog's button reads "승인 요청" — and a second operator sees
/// the header badge, opens 승인 요청 and approves each; both see the outcome. Phones 010-0000-0960… (this class only).
/// </summary>
[Collection(WebUiCollection.Name)]
public sealed class ApprovalPageTests(WebUiFixture fixture)
{
    private static readonly string[] Switches = ["Approvals:Resend", "Approvals:PhoneChange", "Approvals:CampaignCancel"];

    [Fact(Timeout = 300_000)]
    public async Task A_resend_a_number_change_and_a_campaign_cancel_are_requested_in_one_browser_and_approved_in_another()
    {
        var requesterAccount = await fixture.CreateAccountAsync(Roles.Operator);
        var approverAccount = await fixture.CreateAccountAsync(Roles.Operator);
        using var admin = await fixture.AdminApiAsync();
        await SwitchAsync(admin, true);
        try
        {
            var services = fixture.BackOffice.Services;
            var delivered = await DeliveredAsync(2, 960);
            var (resent, moved) = (await ItemAsync(delivered, 1), await ItemAsync(delivered, 2));
            var later = DateTime.UtcNow.AddDays(3);
            var scheduled = await PipelineCampaigns.ScheduleAsync(services.GetRequiredService<DbConnectionFactory>(), services.GetRequiredService<PiiProtector>(), 1, firstPhone: 965, sendAtUtc: later, startAtUtc: later);

            await using var requester = await BrowserSession.OpenAsync(fixture, 1920, 1080);
            var page = requester.Page;
            await requester.LoginAsync(requesterAccount);
            await requester.GoAsync("cs.html");
            await requester.ReadyAsync();

            // 재발송 as a request: the button says so and a memo is required.
            await SearchAsync(page, "01000000960");
            await Row(page, resent).Locator("[data-action=resend]").ClickAsync();
            var dialog = page.Locator(".cs-modal.show");
            await Assertions.Expect(dialog.Locator("[data-role=submit]")).ToHaveTextAsync("승인 요청");
            await dialog.Locator("[data-role=submit]").ClickAsync();
            await Assertions.Expect(dialog).ToContainTextAsync("승인 요청에는 상담 메모를 입력해야 합니다.");
            await dialog.Locator("#cs-memo").FillAsync("문자를 못 받았다는 문의");
            await dialog.Locator("[data-role=submit]").ClickAsync();
            await Assertions.Expect(page.Locator(".cs-modal")).ToHaveCountAsync(0);
            await Assertions.Expect(page.Locator(".cd-toast").Last).ToContainTextAsync("승인 요청이 등록되었습니다.");
            await Assertions.Expect(Row(page, resent)).ToContainTextAsync("승인 대기");
            await Assertions.Expect(Row(page, resent).Locator("[data-action-disabled=discard]")).ToHaveAttributeAsync("data-reason", "승인 대기 중인 요청이 있습니다.");

            // 번호변경 as a request.
            await SearchAsync(page, "01000000961");
            await Row(page, moved).Locator("[data-action=changeNumber]").ClickAsync();
            dialog = page.Locator(".cs-modal.show");
            await dialog.Locator("#cs-new-phone").FillAsync("01000000969");
            await dialog.Locator("#cs-memo").FillAsync("고객이 번호를 바꿨다고 함");
            await Assertions.Expect(dialog.Locator("[data-role=submit]")).ToHaveTextAsync("승인 요청");
            await dialog.Locator("[data-role=submit]").ClickAsync();
            await Assertions.Expect(page.Locator(".cs-modal")).ToHaveCountAsync(0);
            await Assertions.Expect(Row(page, moved)).ToContainTextAsync("승인 대기");

            // 일괄취소 of a scheduled campaign as a request.
            await requester.GoAsync($"campaign.html?id={scheduled}");
            await requester.ReadyAsync();
            await page.ClickAsync("#campaign-cancel");
            var confirm = page.Locator(".modal[data-cd-state=shown]");
            await Assertions.Expect(confirm).ToContainTextAsync("2인 승인 대상입니다.");
            await page.FillAsync("#cancel-reason", "고객사 요청으로 취소");
            await confirm.Locator("button", new LocatorLocatorOptions { HasText = "승인 요청" }).ClickAsync();
            await Assertions.Expect(page.Locator(".cd-toast").Last).ToContainTextAsync("승인 요청이 등록되었습니다.");
            Assert.Equal("SCHEDULED", await fixture.Stack.CampaignStatusAsync(scheduled));

            // The approver: the badge counts three; 승인 요청 lists them with masked targets and the memos.
            await using var approver = await BrowserSession.OpenAsync(fixture, 1920, 1080);
            var other = approver.Page;
            await approver.LoginAsync(approverAccount);
            await Assertions.Expect(other.Locator("#cd-approvals-count")).ToHaveTextAsync("3");
            await other.ClickAsync("#cd-approvals");
            await other.WaitForURLAsync("**/approvals.html");
            var rows = other.Locator("#approvals-table tbody tr[data-request]");
            await Assertions.Expect(rows).ToHaveCountAsync(3);
            await Assertions.Expect(other.Locator("#approvals-table")).ToContainTextAsync("새 번호 010-****-0969");
            await Assertions.Expect(other.Locator("#approvals-table")).ToContainTextAsync("문자를 못 받았다는 문의");
            Assert.DoesNotContain("01000000969", await other.ContentAsync(), StringComparison.Ordinal);
            await approver.ScreenshotAsync("ui-approvals");

            foreach (var kind in new[] { "재발송", "번호변경", "발송 취소" })
            {
                var row = rows.Filter(new LocatorFilterOptions { HasText = kind }).First;
                await row.Locator("[data-action=approve]").ClickAsync();
                await other.Locator(".modal[data-cd-state=shown] button", new PageLocatorOptions { HasText = "승인" }).Last.ClickAsync();
                await Assertions.Expect(other.Locator("#action-alert")).ToContainTextAsync("승인되어 처리되었습니다.");
            }

            await Assertions.Expect(rows).ToHaveCountAsync(0);
            await Assertions.Expect(other.Locator("#cd-approvals-count")).ToBeHiddenAsync();
            Assert.Equal("CANCELLED", await fixture.Stack.CampaignStatusAsync(scheduled));
            Assert.Equal("REPLACED", await ScalarAsync<string>("SELECT status FROM delivery_items WHERE id = @moved", new { moved }));
            Assert.Equal(1, await ScalarAsync<int>("SELECT resend_count FROM delivery_items WHERE id = @resent", new { resent }));

            // Both see the outcome: the approver under 처리됨, the requester under 내 요청.
            await other.ClickAsync("#approval-tabs [data-tab=handled]");
            await Assertions.Expect(other.Locator("#approvals-table tbody tr[data-status=EXECUTED]")).ToHaveCountAsync(3);
            await requester.GoAsync("approvals.html#mine");
            await requester.ReadyAsync();
            await Assertions.Expect(page.Locator("#approvals-table tbody tr[data-status=EXECUTED]")).ToHaveCountAsync(3);
            await Assertions.Expect(page.Locator("#approvals-table")).ToContainTextAsync("재발송 처리되었습니다.");
            requester.AssertNoErrors();
            approver.AssertNoErrors();
        }
        finally
        {
            await SwitchAsync(admin, false);
        }
    }

    [Fact(Timeout = 180_000)]
    public async Task The_badge_follows_a_new_request_without_a_reload_pauses_in_a_hidden_tab_and_stops_quietly_on_401()
    {
        var watcherAccount = await fixture.CreateAccountAsync(Roles.Operator);
        var requesterAccount = await fixture.CreateAccountAsync(Roles.Operator);
        using var admin = await fixture.AdminApiAsync();
        await SwitchAsync(admin, true);
        try
        {
            var item = await ItemAsync(await DeliveredAsync(1, 970), 1);
            await using var watcher = await BrowserSession.OpenAsync(fixture);
            var page = watcher.Page;
            // Production polls every 60 s; the page reads this before it loads.
            await page.AddInitScriptAsync("window.CD_APPROVALS_POLL_MS = 300;");
            var polls = 0;
            page.Request += (_, request) =>
            {
                if (request.Url.Contains("/api/approvals/count", StringComparison.Ordinal))
                {
                    Interlocked.Increment(ref polls);
                }
            };
            await watcher.LoginAsync(watcherAccount);
            await watcher.GoAsync("cs.html");
            await watcher.ReadyAsync();
            var link = page.Locator("#cd-approvals");
            await Assertions.Expect(link).ToHaveAttributeAsync("aria-label", new Regex("^승인 요청 \\d+건$"));
            var before = int.Parse((await link.GetAttributeAsync("aria-label"))!.Split(' ')[2].TrimEnd('건'), CultureInfo.InvariantCulture);
            await page.EvaluateAsync("window.__sameDocument = true");

            // A second person asks for a resend through the API; the watcher's badge counts it without a reload.
            using (var requester = new HttpClient { BaseAddress = fixture.BaseAddress })
            {
                requester.DefaultRequestHeaders.Authorization = new("Bearer", await CouponDeskFactory.LoginAsync(requester, requesterAccount.LoginId, requesterAccount.Password));
                var row = JsonDocument.Parse(await requester.GetStringAsync($"/api/cs/items/{item}")).RootElement.GetProperty("row");
                (await requester.PostAsJsonAsync($"/api/cs/items/{item}/resend",
                    new { version = row.GetProperty("version").GetInt32(), memo = "배지 확인", requestApproval = true })).EnsureSuccessStatusCode();
            }

            await Assertions.Expect(page.Locator("#cd-approvals-count")).ToHaveTextAsync((before + 1).ToString(CultureInfo.InvariantCulture));
            Assert.True(await page.EvaluateAsync<bool>("window.__sameDocument === true"), "the page reloaded");

            // A hidden tab does not poll.
            await page.EvaluateAsync("Object.defineProperty(document, 'visibilityState', { configurable: true, get: () => 'hidden' }); document.dispatchEvent(new Event('visibilitychange'))");
            await Task.Delay(500);
            var hidden = Volatile.Read(ref polls);
            await Task.Delay(1500);
            Assert.Equal(hidden, Volatile.Read(ref polls));

            // Shown again, it polls; a session ended elsewhere answers 401 once and the polling stops without a word.
            await ScalarAsync<int>("UPDATE auth_sessions SET ended_at = UTC_TIMESTAMP(6), end_reason = 'LOGOUT' WHERE user_id = @id AND ended_at IS NULL", new { id = watcherAccount.Id });
            var refused = page.WaitForResponseAsync(r => r.Url.Contains("/api/approvals/count", StringComparison.Ordinal) && r.Status == 401);
            await page.EvaluateAsync("Object.defineProperty(document, 'visibilityState', { configurable: true, get: () => 'visible' }); document.dispatchEvent(new Event('visibilitychange'))");
            await refused;
            var afterRefusal = Volatile.Read(ref polls);
            await Task.Delay(1500);
            Assert.Equal(afterRefusal, Volatile.Read(ref polls));
            Assert.True(await page.EvaluateAsync<bool>("window.__sameDocument === true"), "a background 401 navigated away");
            watcher.AssertNoErrors();
        }
        finally
        {
            await SwitchAsync(admin, false);
        }
    }

    private static ILocator Row(IPage page, long item) => page.Locator($"#cs-table tr.cs-row[data-item='{item}']");

    private static async Task SearchAsync(IPage page, string phone)
    {
        await page.FillAsync("#phone", phone);
        await page.FillAsync("#couponNumber", "");
        var answered = page.WaitForResponseAsync(r => r.Url.Contains("/api/cs/search", StringComparison.Ordinal));
        await page.ClickAsync("#cs-search");
        await answered;
        await Assertions.Expect(page.Locator("#cs-search")).ToBeEnabledAsync();
    }

    /// <summary>The three switches on, or back to the configuration file's value (off).</summary>
    private static Task SwitchAsync(HttpClient admin, bool on) =>
        WebUiFixture.ChangeSettingsAsync(admin, Switches.ToDictionary(k => k, _ => on ? (object?)true : null));

    private async Task<long> DeliveredAsync(int recipients, int firstPhone)
    {
        var services = fixture.BackOffice.Services;
        var campaign = await PipelineCampaigns.ScheduleAsync(services.GetRequiredService<DbConnectionFactory>(), services.GetRequiredService<PiiProtector>(), recipients, firstPhone: firstPhone);
        await fixture.Stack.WaitForStatusAsync(campaign, "COMPLETED");
        return campaign;
    }

    private Task<long> ItemAsync(long campaign, int seq) => ScalarAsync<long>("SELECT id FROM delivery_items WHERE campaign_id = @campaign AND seq = @seq", new { campaign, seq });

    private async Task<T> ScalarAsync<T>(string sql, object args)
    {
        await using var c = await fixture.BackOffice.Services.GetRequiredService<DbConnectionFactory>().OpenAsync();
        return (await c.ExecuteScalarAsync<T>(sql, args))!;
    }
}
