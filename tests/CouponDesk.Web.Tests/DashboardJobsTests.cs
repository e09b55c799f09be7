using System.Globalization;
using CouponDesk.Data;
using CouponDesk.Hosting;
using CouponDesk.Security;
using CouponDesk.Shared.Time;
using CouponDesk.TestSupport;
using Dapper;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;

namespace CouponDesk.Web.Tests;

/// <summary>
/// Issue 14 point 1: the dashboard after the real Quartz jobs have fired. A second process with the <c>jobs</c> role runs
/// the clustered schedule against the same database until <c>snap-result-sync</c> has a real PREV_FIRE_TIME (Quartz
/// stores .NET ticks; reading them as milliseconds once answered 500 to every role). Then every panel draws, and a
/// panel that cannot be read degrades on its own with a Korean message while the others still draw.
/// </summary>
[Collection(WebUiCollection.Name)]
public sealed class DashboardJobsTests(WebUiFixture fixture)
{
    [Fact(Timeout = 180_000)]
    public async Task Every_panel_draws_after_the_real_result_sync_job_fired()
    {
        var fired = await RunJobsUntilResultSyncFiredAsync();
        var account = await fixture.CreateAccountAsync(Roles.Viewer);
        await using var browser = await BrowserSession.OpenAsync(fixture, 1600, 1000);
        var page = browser.Page;
        await browser.LoginAsync(account);

        var health = page.Locator("#dash-health");
        await Assertions.Expect(health).ToContainTextAsync("결과 동기화");
        var expected = "실행 " + Kst.ToKst(fired).ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture);
        await Assertions.Expect(health.Locator("li", new() { HasText = "결과 동기화" })).ToContainTextAsync(expected);
        await Assertions.Expect(page.Locator("#stat-today")).Not.ToHaveTextAsync("-");
        await Assertions.Expect(page.Locator("#stat-indoubt")).Not.ToHaveTextAsync("-");
        await Assertions.Expect(page.Locator("#stat-upcoming")).Not.ToHaveTextAsync("-");
        await Assertions.Expect(page.Locator("#dash-alert")).ToBeHiddenAsync();
        await Assertions.Expect(page.Locator(".cd-panel-error:visible")).ToHaveCountAsync(0);
        await browser.ScreenshotAsync("dashboard-after-jobs");
        browser.AssertNoErrors();
    }

    [Fact(Timeout = 120_000)]
    public async Task A_panel_that_cannot_be_read_shows_its_own_korean_message_and_the_others_still_draw()
    {
        var account = await fixture.CreateAccountAsync(Roles.Operator);
        await using var browser = await BrowserSession.OpenAsync(fixture, 1600, 1000);
        var page = browser.Page;
        await browser.LoginAsync(account);
        await Assertions.Expect(page.Locator("#dash-health")).ToContainTextAsync("결과 동기화");

        // The Quartz store is read only by the 시스템 상태 panel (no jobs process runs here): without it that panel fails.
        await using var c = await fixture.BackOffice.Services.GetRequiredService<DbConnectionFactory>().OpenAsync();
        await c.ExecuteAsync("RENAME TABLE QRTZ_TRIGGERS TO QRTZ_TRIGGERS_AWAY");
        try
        {
            await page.ClickAsync("#dash-refresh");
            var health = page.Locator("#dash-health");
            await Assertions.Expect(health.Locator(".cd-panel-error")).ToHaveTextAsync("시스템 상태 정보를 불러오지 못했습니다. 잠시 후 다시 시도해 주세요.");
            await Assertions.Expect(health).Not.ToContainTextAsync("결과 동기화");
            // The page's own alert stays empty and the other panels keep their figures.
            await Assertions.Expect(page.Locator("#dash-alert")).ToBeHiddenAsync();
            await Assertions.Expect(page.Locator("#stat-today")).Not.ToHaveTextAsync("-");
            await Assertions.Expect(page.Locator("#stat-success-7d")).Not.ToHaveTextAsync("");
            await Assertions.Expect(page.Locator("#stat-upcoming")).Not.ToHaveTextAsync("-");
            await Assertions.Expect(page.Locator("#failure-table tbody tr")).Not.ToHaveCountAsync(0);
            await Assertions.Expect(page.Locator("#dash-upcoming li")).Not.ToHaveCountAsync(0);
            await browser.ScreenshotAsync("dashboard-one-panel-down");
        }
        finally
        {
            await c.ExecuteAsync("RENAME TABLE QRTZ_TRIGGERS_AWAY TO QRTZ_TRIGGERS");
        }

        await page.ClickAsync("#dash-refresh");
        await Assertions.Expect(page.Locator("#dash-health")).ToContainTextAsync("결과 동기화");
        await Assertions.Expect(page.Locator("#dash-health .cd-panel-error")).ToHaveCountAsync(0);
        browser.AssertNoErrors();
    }

    /// <summary>
    /// Runs a jobs-only process (the clustered Quartz store in the shared database) until the result sync has fired, stops
    /// it, and returns the fire time Quartz recorded.
    /// </summary>
    private async Task<DateTime> RunJobsUntilResultSyncFiredAsync()
    {
        var scratch = TestSettings.NewScratchDirectory();
        try
        {
            await using (await LoopbackHost.StartAsync(args => CouponDeskHost.Build(args),
            [
                new("environment", "Testing"),
                .. TestSettings.BackOffice(fixture.Database, scratch),
                new("CouponDesk:Roles", "jobs"),
                new("Coufun:BaseUrl", fixture.StandIn.BaseUrl),
                new("Snap:ResultSyncSeconds", "5"),
            ]))
            {
                await using var c = await fixture.Database.OpenAsync();
                while (await c.ExecuteScalarAsync<long?>(
                    "SELECT PREV_FIRE_TIME FROM QRTZ_TRIGGERS WHERE TRIGGER_NAME = 'snap-result-sync-trigger' AND PREV_FIRE_TIME > 0") is null)
                {
                    await Task.Delay(250);
                }
            }

            await using var after = await fixture.Database.OpenAsync();
            var ticks = await after.ExecuteScalarAsync<long>("SELECT PREV_FIRE_TIME FROM QRTZ_TRIGGERS WHERE TRIGGER_NAME = 'snap-result-sync-trigger'");
            return new DateTime(ticks, DateTimeKind.Utc);
        }
        finally
        {
            if (Directory.Exists(scratch))
            {
                Directory.Delete(scratch, recursive: true);
            }
        }
    }
}
