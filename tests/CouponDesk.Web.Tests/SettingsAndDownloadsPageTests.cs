using CouponDesk.Data;
using CouponDesk.Features.Exports;
using CouponDesk.Security;
using CouponDesk.TestSupport;
using Dapper;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;

namespace CouponDesk.Web.Tests;

/// <summary>설정 (spec §3.11) and 다운로드 내역 (§3.3.4) driven through the pages (issue 18 points 2 and 3).</summary>
[Collection(WebUiCollection.Name)]
public sealed class SettingsAndDownloadsPageTests(WebUiFixture fixture)
{
    [Fact(Timeout = 120_000)]
    public async Task An_admin_changes_a_setting_sees_a_range_error_and_keeps_the_webhook_masked()
    {
        var admin = await fixture.CreateAccountAsync(Roles.Admin);
        await using var browser = await BrowserSession.OpenAsync(fixture, 1280, 1100);
        var page = browser.Page;
        await browser.LoginAsync(admin);
        await page.ClickAsync("#cd-menu [data-menu=settings]");
        var sessions = page.Locator("[name='Security:Sessions:MaxConcurrentSessions']");
        await Assertions.Expect(sessions).ToHaveValueAsync("1");
        // The five approval switches (spec §1.3) are on the page now that their workflow is built (D-APR-1).
        await Assertions.Expect(page.Locator("[name^='Approvals:']")).ToHaveCountAsync(5);
        await Assertions.Expect(page.Locator("#webhook-current")).ToContainTextAsync("설정되지 않음");
        await Assertions.Expect(page.Locator("#webhook-test")).ToBeDisabledAsync();

        try
        {
            // Out of range (typed past the input's max): the server's range message next to the field, nothing saved.
            await page.FillAsync("[name='Campaigns:MinLeadMinutes']", "999");
            await page.ClickAsync("#settings-save");
            await ConfirmAsync(page);
            await Assertions.Expect(page.Locator("[name='Campaigns:MinLeadMinutes'] ~ .invalid-feedback, .input-group:has([name='Campaigns:MinLeadMinutes']) + .invalid-feedback").First)
                .ToHaveTextAsync("'최소 준비 시간'은(는) 1~240 사이의 정수로 입력해 주세요.");

            await page.FillAsync("[name='Campaigns:MinLeadMinutes']", "15");
            await page.SelectOptionAsync("[name='Security:Sessions:MaxConcurrentSessions']", "2");
            await page.SelectOptionAsync("[name='Campaigns:NightMode']", "Block");
            await page.ClickAsync("#settings-save");
            await ConfirmAsync(page, "최소 준비 시간: 10 → 15");
            await Assertions.Expect(page.Locator("[data-setting='Campaigns:MinLeadMinutes'] .badge")).ToHaveTextAsync("변경됨");
            await Assertions.Expect(page.Locator("[data-setting='Campaigns:NightMode']")).ToContainTextAsync("설정 파일 값 경고 (확인 후 발송)");

            // The webhook: saved, then shown masked only; the test button goes through the alert sender to the receiver.
            var received = new System.Collections.Concurrent.ConcurrentQueue<string>();
            await using var receiver = await LoopbackHost.StartAsync(args =>
            {
                var app = WebApplication.CreateBuilder(args).Build();
                app.MapPost("/hook/{**rest}", async (HttpRequest request) =>
                {
                    using var reader = new StreamReader(request.Body);
                    received.Enqueue(await reader.ReadToEndAsync());
                    return Results.Ok();
                });
                return app;
            }, [new("Logging:LogLevel:Default", "Warning")]);
            await page.FillAsync("#webhook-url", new Uri(receiver.BaseAddress, "hook/T000/secret-token").ToString());
            await page.ClickAsync("#webhook-save");
            await ConfirmAsync(page);
            await Assertions.Expect(page.Locator("#webhook-current")).ToHaveTextAsync("http://127.0.0.1/••••");
            Assert.DoesNotContain("secret-token", await page.ContentAsync(), StringComparison.Ordinal);
            await page.ClickAsync("#webhook-test");
            await Assertions.Expect(page.Locator("#webhook-form [data-role=form-alert]")).ToContainTextAsync("시험 알림을 보냈습니다");
            Assert.Contains("settings.test", Assert.Single(received), StringComparison.Ordinal);
            await Assertions.Expect(page.Locator(".cd-toast")).ToHaveCountAsync(0);
            await page.EvaluateAsync("() => window.scrollTo(0, 0)");
            await browser.ScreenshotAsync("ui-settings");
        }
        finally
        {
            await page.EvaluateAsync(
                "async () => { const s = await CD.api('GET', '/api/settings'); const v = {}; s.items.filter(i => i.overridden).forEach(i => v[i.key] = null); if (Object.keys(v).length) await CD.api('PUT', '/api/settings', { body: { version: s.version, values: v } }); }");
        }

        browser.AssertNoErrors();
    }

    [Fact(Timeout = 120_000)]
    public async Task The_header_lists_exports_being_made_ready_expired_and_failed_and_a_late_click_gets_the_message()
    {
        var admin = await fixture.CreateAccountAsync(Roles.Operator);
        await using var browser = await BrowserSession.OpenAsync(fixture, 1280, 800);
        var page = browser.Page;
        await browser.LoginAsync(admin);
        var options = fixture.BackOffice.Services.GetRequiredService<ExportOptions>();
        await browser.GoAsync("campaigns.html");
        await browser.ReadyAsync();

        // Three list exports: none is small enough to be written in the request.
        var inline = options.InlineRows;
        options.InlineRows = 0;
        try
        {
            for (var i = 0; i < 3; i++)
            {
                await page.ClickAsync("#campaign-list-export");
                await Assertions.Expect(page.Locator("#cd-downloads-pending")).ToHaveTextAsync((i + 1).ToString(System.Globalization.CultureInfo.InvariantCulture));
            }
        }
        finally
        {
            options.InlineRows = inline;
        }

        await OpenDownloadsAsync(page);
        var items = page.Locator("#cd-downloads-list li[data-export]");
        await Assertions.Expect(items).ToHaveCountAsync(3);
        await Assertions.Expect(items.First).ToContainTextAsync("생성 중");

        // The job writes them; the open list follows (it polls while something is being made).
        await fixture.BackOffice.Services.GetRequiredService<ExportGenerator>().RunPendingAsync(CancellationToken.None);
        await Assertions.Expect(page.Locator("#cd-downloads-list li[data-status=READY]")).ToHaveCountAsync(3);
        await Assertions.Expect(page.Locator("#cd-downloads-pending")).ToBeHiddenAsync();

        // One expired (past its 24 hours) and one failed, as the records would be.
        var ids = await items.EvaluateAllAsync<long[]>("els => els.map(e => Number(e.dataset.export))");
        await using (var connection = await fixture.BackOffice.Services.GetRequiredService<DbConnectionFactory>().OpenAsync())
        {
            await connection.ExecuteAsync("UPDATE exports SET ready_at = ready_at - INTERVAL 25 HOUR, expires_at = expires_at - INTERVAL 25 HOUR WHERE id = @id", new { id = ids[1] });
            await connection.ExecuteAsync("UPDATE exports SET status = 'FAILED', file_path = NULL WHERE id = @id", new { id = ids[2] });
        }

        // A download of the ready one works from the list.
        await OpenDownloadsAsync(page);
        var ready = page.Locator($"#cd-downloads-list li[data-export='{ids[0]}']");
        var download = await page.RunAndWaitForDownloadAsync(() => ready.Locator("button").ClickAsync());
        Assert.Matches(@"^발송조회_\d{12}\.xlsx$", download.SuggestedFilename);

        // A late click on the (still listed as 완료) expired one: the spec's message, then the list shows 만료.
        await OpenDownloadsAsync(page);
        await page.Locator($"#cd-downloads-list li[data-export='{ids[1]}'] button").ClickAsync();
        await Assertions.Expect(page.Locator("#cd-downloads-alert")).ToHaveTextAsync("다운로드 기간(24시간)이 만료되었습니다. 다시 요청하세요.");
        await Assertions.Expect(page.Locator($"#cd-downloads-list li[data-export='{ids[1]}']")).ToContainTextAsync("만료");
        await Assertions.Expect(page.Locator($"#cd-downloads-list li[data-export='{ids[2]}']")).ToContainTextAsync("실패");
        await Assertions.Expect(page.Locator(".cd-toast")).ToHaveCountAsync(0);
        await browser.ScreenshotAsync("ui-downloads");
        browser.AssertNoErrors();
    }

    /// <summary>Opens 다운로드 내역 unless it is open (a download's save can move the focus and close it).</summary>
    private static async Task OpenDownloadsAsync(IPage page)
    {
        var menu = page.Locator("#cd-downloads .dropdown-menu");
        if (!await menu.IsVisibleAsync())
        {
            await page.ClickAsync("#cd-downloads-toggle");
        }

        await Assertions.Expect(menu).ToBeVisibleAsync();
    }

    private static async Task ConfirmAsync(IPage page, string? text = null)
    {
        var dialog = page.Locator(".modal[data-cd-state=shown]", new PageLocatorOptions { HasText = text ?? "" });
        await dialog.Locator("button", new LocatorLocatorOptions { HasText = "확인" }).ClickAsync();
        await Assertions.Expect(page.Locator(".modal[data-cd-state=shown]")).ToHaveCountAsync(0);
    }
}
