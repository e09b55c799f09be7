using CouponDesk.Security;
using Dapper;
using Microsoft.Playwright;

namespace CouponDesk.Web.Tests;

/// <summary>
/// D-APR-7: the dashboard's timed refresh is a background call — the session does not count it as activity, so a
/// dashboard left open does not keep its session alive — while the page's first read is the user's own. A session ended
/// elsewhere answers the timer 401 once and the timer stops without a word (no navigation, no console error).
/// </summary>
[Collection(WebUiCollection.Name)]
public sealed class DashboardRefreshTests(WebUiFixture fixture)
{
    [Fact(Timeout = 120_000)]
    public async Task The_timed_refresh_is_not_activity_and_stops_quietly_when_the_session_ends()
    {
        var account = await fixture.CreateAccountAsync(Roles.Viewer);
        await using var browser = await BrowserSession.OpenAsync(fixture, 1920, 1080);
        var page = browser.Page;
        // Production refreshes every 30 s; the page reads this before it loads.
        await page.AddInitScriptAsync("window.CD_DASHBOARD_REFRESH_MS = 300;");
        var reads = new List<bool>();
        page.Request += (_, request) =>
        {
            if (request.Url.Contains("/api/dashboard", StringComparison.Ordinal))
            {
                lock (reads)
                {
                    reads.Add(request.Headers.TryGetValue("x-background-request", out var flag) && flag == "1");
                }
            }
        };
        await browser.LoginAsync(account);
        await browser.ReadyAsync();
        await Assertions.Expect(page.Locator("#dash-updated")).Not.ToHaveTextAsync("-");
        await page.EvaluateAsync("window.__sameDocument = true");

        // The timer's reads are background calls (that the server then leaves the session's idle time alone is
        // SessionTests' part); the page's first read is the user's own.
        await page.WaitForResponseAsync(r => r.Url.Contains("/api/dashboard", StringComparison.Ordinal) && r.Request.Headers.ContainsKey("x-background-request"));
        lock (reads)
        {
            Assert.False(reads[0], "the page's first read was sent as a background call");
            Assert.True(reads.Skip(1).All(flag => flag), "a timed read was not a background call");
        }

        // Ended elsewhere: one 401 to the timer, then no more reads and no navigation.
        await using (var c = await fixture.Database.OpenAsync())
        {
            await c.ExecuteAsync("UPDATE auth_sessions SET ended_at = UTC_TIMESTAMP(6), end_reason = 'LOGOUT' WHERE user_id = @id AND ended_at IS NULL", new { id = account.Id });
        }

        await page.WaitForResponseAsync(r => r.Url.Contains("/api/dashboard", StringComparison.Ordinal) && r.Status == 401);
        int afterRefusal;
        lock (reads)
        {
            afterRefusal = reads.Count;
        }

        await Task.Delay(1500);
        lock (reads)
        {
            Assert.Equal(afterRefusal, reads.Count);
        }

        Assert.True(await page.EvaluateAsync<bool>("window.__sameDocument === true"), "a background 401 navigated away");
        browser.AssertNoErrors();
    }
}
