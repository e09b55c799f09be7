using System.Net;
using System.Text;
using System.Text.Json;
using CouponDesk.Features.Alerts;
using CouponDesk.Features.Coupons;
using CouponDesk.Tests.Alerts;
using CouponDesk.TestSupport;
using Dapper;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace CouponDesk.Tests.Features.Coupons;

/// <summary>
/// The status sync's rules (spec §5.6, §4.3): the spec's order, only coupons that can still change, a COUFUN outage
/// skips the run with one alert, bad answers are kept for review without stopping the batch, a push that contradicts
/// our record is applied, flagged, listed for an ADMIN, counted on the dashboard and alerted.
/// </summary>
public sealed class StatusSyncRulesTests
{
    private static string NewNumber() => "9" + Random.Shared.NextInt64(10_000_000_000, 99_999_999_999).ToString(System.Globalization.CultureInfo.InvariantCulture);

    private static async Task<long> IdAsync(BackOfficeOnSocket b, string number) => (await b.Coupons.FindByNumberAsync(number))!.Id;

    private static async Task ExecAsync(BackOfficeOnSocket b, string sql, object? args = null)
    {
        await using var c = await b.Database.OpenAsync();
        await c.ExecuteAsync(sql, args);
    }

    [Fact]
    public async Task A_run_takes_coupons_touched_by_CS_then_expiring_ones_then_the_oldest_checked_and_skips_those_that_cannot_change()
    {
        await using var b = await BackOfficeOnSocket.StartAsync();
        var today = DateOnly.FromDateTime(DateTime.UtcNow.AddHours(9));
        var names = new[] { "far-never", "far-2d", "soon-2h", "far-cs", "soon-5m", "used-cs", "cancelled-cs", "used", "past" };
        var numbers = names.ToDictionary(n => n, _ => NewNumber());
        foreach (var (name, number) in numbers)
        {
            var valid = name.StartsWith("soon", StringComparison.Ordinal) ? today.AddDays(3) : name == "past" ? today.AddDays(-1) : today.AddDays(60);
            await b.InsertAsync(BackOfficeOnSocket.Coupon(number) with { ValidUntil = valid });
        }

        var now = DateTime.UtcNow;
        async Task Checked(string name, TimeSpan ago) =>
            await ExecAsync(b, "UPDATE coupons SET status_checked_at = @at WHERE id = @id", new { at = now - ago, id = await IdAsync(b, numbers[name]) });
        async Task Status(string name, string status) =>
            await ExecAsync(b, "UPDATE coupons SET status = @status WHERE id = @id", new { status, id = await IdAsync(b, numbers[name]) });
        async Task TouchedByCs(string name) =>
            await ExecAsync(b, "INSERT INTO cs_actions (item_id, campaign_id, coupon_id, action, result, created_at) VALUES (0, 0, @id, 'REFRESH', 'SUCCESS', @at)",
                new { id = await IdAsync(b, numbers[name]), at = now.AddHours(-1) });
        await Checked("far-2d", TimeSpan.FromDays(2));
        await Checked("soon-2h", TimeSpan.FromHours(2));
        await Checked("far-cs", TimeSpan.FromHours(1));
        await Checked("soon-5m", TimeSpan.FromMinutes(5));
        await Status("used-cs", CouponStatus.Used);
        await Status("cancelled-cs", CouponStatus.Cancelled);
        await Status("used", CouponStatus.Used);
        await TouchedByCs("used-cs");
        await TouchedByCs("cancelled-cs");
        await TouchedByCs("far-cs");

        var ids = await b.Host.Services.GetRequiredService<CouponStatusSync>().SelectAsync(CancellationToken.None);

        var byId = new Dictionary<long, string>();
        foreach (var (name, number) in numbers)
        {
            byId[await IdAsync(b, number)] = name;
        }

        Assert.Equal(["used-cs", "far-cs", "soon-2h", "far-never", "far-2d", "soon-5m"], ids.Select(id => byId[id]).ToArray());
    }

    [Fact]
    public async Task A_COUFUN_outage_stops_the_run_with_one_alert_and_changes_nothing_then_the_next_run_reads_them()
    {
        await using var kit = await SyncKit.StartAsync();
        await kit.BuyAsync("BARCODE", 10);
        await kit.Coufun.SetFaultsAsync(new { endpoints = new[] { "status" }, forcedCodeRate = 1.0, forcedCode = "99" });
        var alerts = new RecordingAlerts();
        var sync = ActivatorUtilities.CreateInstance<CouponStatusSync>(kit.BackOffice.Host.Services, (IOperationsAlerts)alerts);

        var down = await sync.RunOnceAsync(CancellationToken.None);

        Assert.True(down.StoppedForOutage);
        Assert.Equal(3, down.Calls); // CouponStatus:OutageAfterFailures, not one call (and one alert) per coupon
        var alert = Assert.Single(alerts.Raised);
        Assert.Equal(CouponStatusSync.OutageAlertKind, alert.Kind);
        Assert.Equal(0, await kit.ScalarAsync("SELECT COUNT(*) FROM coupons WHERE status_checked_at IS NOT NULL"));
        Assert.Equal(0, await kit.ScalarAsync("SELECT COUNT(*) FROM coupon_status_history"));

        await kit.Coufun.ClearFaultsAsync();
        var up = await sync.RunOnceAsync(CancellationToken.None);
        Assert.False(up.StoppedForOutage);
        Assert.Equal(10, up.Calls);
        Assert.Equal(10, await kit.ScalarAsync("SELECT COUNT(*) FROM coupons WHERE status_checked_at IS NOT NULL"));
        Assert.Single(alerts.Raised);
    }

    [Fact]
    public async Task Malformed_or_refused_answers_are_kept_for_review_and_the_batch_goes_on()
    {
        var answers = new Dictionary<string, string>();
        await using var fake = await LoopbackHost.StartAsync(args => FakeCoufun(args, answers), [new("Logging:LogLevel:Default", "Warning")]);
        await using var b = await BackOfficeOnSocket.StartAsync(coufunBaseUrl: new Uri(fake.BaseAddress, "b2c_api/").ToString(), extra: [new("Coufun:ReadRetries", "0")]);
        var cases = new (string Name, string Type, string Body)[]
        {
            ("amount", CouponType.Amount, Answer("000", "<TOTAL_AMOUNT>30000</TOTAL_AMOUNT><REMAIN_AMOUNT>12,000</REMAIN_AMOUNT>")),
            ("date", CouponType.Barcode, Answer("001", "", validEnd: "20271340")),
            ("status", CouponType.Barcode, Answer("002", "")),
            ("unknown", CouponType.Barcode, "<COUFUNSEARCH><RESULT_CODE>16</RESULT_CODE><RESULT_MSG>no coupon</RESULT_MSG></COUFUNSEARCH>"),
            ("garbled", CouponType.Barcode, "<COUFUNSEARCH><RESULT_CODE>00"),
            ("good", CouponType.Barcode, Answer("001", "<EXCHANGE_DATE>20261201143015</EXCHANGE_DATE>")),
        };
        var numbers = new Dictionary<string, string>();
        foreach (var (name, type, body) in cases)
        {
            var number = NewNumber();
            numbers[name] = number;
            answers[number] = body.Replace("{N}", number, StringComparison.Ordinal);
            await b.InsertAsync(BackOfficeOnSocket.Coupon(number, type, type == CouponType.Amount ? 30000 : 4500) with { ValidUntil = DateOnly.FromDateTime(DateTime.UtcNow).AddDays(30) });
        }

        var summary = await b.Host.Services.GetRequiredService<CouponStatusSync>().RunOnceAsync(CancellationToken.None);

        Assert.Equal(6, summary.Calls);
        Assert.False(summary.StoppedForOutage);
        Assert.Equal(4, summary.Reviews);
        await using var c = await b.Database.OpenAsync();
        var reviews = (await c.QueryAsync<(long CouponId, string Review, string OldStatus, string NewStatus)>(
            "SELECT coupon_id, review, old_status, new_status FROM coupon_status_history WHERE flagged = 1")).ToDictionary(r => r.CouponId);
        Assert.Equal(CouponReview.Unreadable, reviews[await IdAsync(b, numbers["amount"])].Review);
        Assert.Equal(CouponReview.Unreadable, reviews[await IdAsync(b, numbers["date"])].Review);
        Assert.Equal(CouponReview.Unreadable, reviews[await IdAsync(b, numbers["status"])].Review);
        Assert.Equal(CouponReview.NotFound, reviews[await IdAsync(b, numbers["unknown"])].Review);
        Assert.All(reviews.Values, r => Assert.Equal((CouponStatus.Unused, CouponStatus.Unused), (r.OldStatus, r.NewStatus)));
        foreach (var name in new[] { "amount", "date", "status", "unknown", "garbled" })
        {
            Assert.Equal(CouponStatus.Unused, (await b.Coupons.FindByNumberAsync(numbers[name]))!.Status);
        }

        Assert.Equal(CouponStatus.Used, (await b.Coupons.FindByNumberAsync(numbers["good"]))!.Status);
        // Kept for review, not retried at the head of every run; the unparsable one was not a reply, so it is tried again.
        var next = await b.Host.Services.GetRequiredService<CouponStatusSync>().SelectAsync(CancellationToken.None);
        Assert.Equal(await IdAsync(b, numbers["garbled"]), next[0]);
        // The notes name fields and codes, never the coupon number.
        var notes = (await c.QueryAsync<string>("SELECT COALESCE(note, '') FROM coupon_status_history")).ToList();
        Assert.All(notes, n => Assert.DoesNotContain(numbers.Values, v => n.Contains(v, StringComparison.Ordinal)));

        // Listed for an ADMIN, counted on the dashboard, acknowledged once (audited).
        using var admin = await SignInAsync(b, "ADMIN");
        var page = JsonDocument.Parse(await admin.GetStringAsync("/api/coupons/status-reviews")).RootElement;
        Assert.Equal(4, page.GetProperty("openCount").GetInt32());
        var first = page.GetProperty("items")[0];
        Assert.DoesNotContain(numbers.Values, v => first.GetRawText().Contains(v, StringComparison.Ordinal));
        Assert.Equal(4, JsonDocument.Parse(await admin.GetStringAsync("/api/dashboard")).RootElement.GetProperty("couponConflicts").GetInt32());
        var id = first.GetProperty("id").GetInt64();
        Assert.Equal(HttpStatusCode.NoContent, (await admin.PostAsync($"/api/coupons/status-reviews/{id}/acknowledge", null)).StatusCode);
        Assert.Equal(HttpStatusCode.Conflict, (await admin.PostAsync($"/api/coupons/status-reviews/{id}/acknowledge", null)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await admin.PostAsync("/api/coupons/status-reviews/999999999/acknowledge", null)).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await admin.GetAsync("/api/coupons/status-reviews?state=bogus")).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await admin.GetAsync("/api/coupons/status-reviews?limit=1000")).StatusCode);
        Assert.Equal(3, JsonDocument.Parse(await admin.GetStringAsync("/api/coupons/status-reviews")).RootElement.GetProperty("openCount").GetInt32());
        Assert.Equal(1, await c.ExecuteScalarAsync<int>("SELECT COUNT(*) FROM audit_log WHERE action = 'coupon.review_acknowledged'"));
        using var operatorClient = await SignInAsync(b, "OPERATOR");
        Assert.Equal(HttpStatusCode.Forbidden, (await operatorClient.GetAsync("/api/coupons/status-reviews")).StatusCode);
    }

    [Fact]
    public async Task A_push_that_contradicts_our_record_is_applied_flagged_and_alerted_once()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        await using var b = await BackOfficeOnSocket.StartAsync(extra: [new("Alerts:WebhookUrl", receiver.Url)]);
        var number = NewNumber();
        await b.InsertAsync(BackOfficeOnSocket.Coupon(number));
        var id = await IdAsync(b, number);
        await ExecAsync(b, "UPDATE coupons SET status = 'CANCELLED' WHERE id = @id", new { id }); // we cancelled it

        using var client = b.Host.CreateClient();
        var form = $"BARCODE_NUM={number}&EXCHANGE_NUM=A1&STATUS=001&EXCHANGE_DATE=20261201143015&BARCODE_TYPE=BARCODE&PRICE=4230&BALANCE=0";
        for (var i = 0; i < 2; i++)
        {
            // The second is COUFUN's retry of the same event: a duplicate, neither applied nor alerted again.
            var reply = await client.PostAsync(ExchangePushEndpoint.Path, new StringContent(form, Encoding.ASCII, "application/x-www-form-urlencoded"));
            Assert.Contains("<RESULTCODE>00</RESULTCODE>", await reply.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }

        Assert.Equal(CouponStatus.Used, (await b.Coupons.FindByIdAsync(id))!.Status); // the supplier's word wins
        await using var c = await b.Database.OpenAsync();
        var row = await c.QuerySingleAsync<(string Source, string OldStatus, string NewStatus, bool Flagged, string Review)>(
            "SELECT source, old_status, new_status, flagged, review FROM coupon_status_history WHERE coupon_id = @id", new { id });
        Assert.Equal((CouponStatusSource.Push, CouponStatus.Cancelled, CouponStatus.Used, true, CouponReview.Conflict), row);
        for (var i = 0; i < 100 && receiver.Alerts.Count == 0; i++)
        {
            await Task.Delay(50);
        }

        await Task.Delay(300);
        var alert = Assert.Single(receiver.Alerts);
        Assert.Equal(CouponStatusSync.ConflictAlertKind, alert.GetProperty("kind").GetString());
        Assert.DoesNotContain(number, alert.GetRawText(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_expiry_marker_expires_unused_coupons_past_their_date_at_0010_KST_and_a_later_use_still_wins()
    {
        await using var b = await BackOfficeOnSocket.StartAsync();
        // 2027-03-02 00:10 KST: coupons valid through 2027-03-01 are past; those valid through 03-02 are not.
        var clock = new FakeTimeProvider(new DateTimeOffset(2027, 3, 1, 15, 10, 0, TimeSpan.Zero));
        var yesterday = new DateOnly(2027, 3, 1);
        var numbers = Enumerable.Range(0, 5).Select(_ => NewNumber()).ToArray();
        await b.InsertAsync(
            BackOfficeOnSocket.Coupon(numbers[0]) with { ValidUntil = yesterday },
            BackOfficeOnSocket.Coupon(numbers[1], CouponType.Amount, 30000) with { ValidUntil = yesterday },
            BackOfficeOnSocket.Coupon(numbers[2]) with { ValidUntil = yesterday },
            BackOfficeOnSocket.Coupon(numbers[3]) with { ValidUntil = yesterday.AddDays(1) },
            BackOfficeOnSocket.Coupon(numbers[4]) with { ValidUntil = yesterday.AddDays(-30) });
        await ExecAsync(b, "UPDATE coupons SET status = 'PARTIALLY_USED', balance = 12000, used_amount = 18000 WHERE id = @id", new { id = await IdAsync(b, numbers[1]) });
        await ExecAsync(b, "UPDATE coupons SET status = 'USED', balance = 0 WHERE id = @id", new { id = await IdAsync(b, numbers[2]) });
        var expiry = ActivatorUtilities.CreateInstance<CouponExpiry>(b.Host.Services, (TimeProvider)clock);

        Assert.Equal(3, await expiry.RunAsync(CancellationToken.None));
        Assert.Equal(0, await expiry.RunAsync(CancellationToken.None)); // a second run finds nothing more

        string[] statuses = [.. await Task.WhenAll(numbers.Select(async n => (await b.Coupons.FindByNumberAsync(n))!.Status))];
        Assert.Equal([CouponStatus.Expired, CouponStatus.Expired, CouponStatus.Used, CouponStatus.Unused, CouponStatus.Expired], statuses);
        await using var c = await b.Database.OpenAsync();
        var history = (await c.QueryAsync<(string Source, string OldStatus, string NewStatus, int? NewBalance, DateTime At)>(
            "SELECT source, old_status, new_status, new_balance, occurred_at FROM coupon_status_history ORDER BY coupon_id")).ToList();
        Assert.Equal(3, history.Count);
        Assert.All(history, h => Assert.Equal((CouponStatusSource.System, CouponStatus.Expired), (h.Source, h.NewStatus)));
        Assert.Contains(history, h => h.OldStatus == CouponStatus.PartiallyUsed && h.NewBalance == 12000);
        Assert.All(history, h => Assert.Equal(clock.GetUtcNow().UtcDateTime, h.At));
        // Not read by the sync any more (it cannot change but by a push)…
        Assert.DoesNotContain(await IdAsync(b, numbers[0]), await b.Host.Services.GetRequiredService<CouponStatusSync>().SelectAsync(CancellationToken.None));

        // …and a use COUFUN reports after our expiry date still wins (K8), without a conflict flag.
        using var client = b.Host.CreateClient();
        var form = $"BARCODE_NUM={numbers[0]}&EXCHANGE_NUM=A2&STATUS=001&EXCHANGE_DATE=20270302093000&BARCODE_TYPE=BARCODE&PRICE=4230&BALANCE=0";
        await client.PostAsync(ExchangePushEndpoint.Path, new StringContent(form, Encoding.ASCII, "application/x-www-form-urlencoded"));
        Assert.Equal(CouponStatus.Used, (await b.Coupons.FindByNumberAsync(numbers[0]))!.Status);
        Assert.Equal(0, await c.ExecuteScalarAsync<int>("SELECT COUNT(*) FROM coupon_status_history WHERE flagged = 1"));
    }

    private static string Answer(string status, string extra, string validEnd = "20271231") =>
        $"<COUFUNSEARCH><RESULT_CODE>00</RESULT_CODE><RESULT_MSG>SUCCESS</RESULT_MSG><COUPON_TYPE>BARCODE</COUPON_TYPE><STATUS>{status}</STATUS>"
        + $"<BARCODE_NUM>{{N}}</BARCODE_NUM><VALID_END_DATE>{validEnd}</VALID_END_DATE>{extra}</COUFUNSEARCH>";

    /// <summary>A COUFUN that answers the status call from a table (by BARCODE_NUM), for answers the stand-in never gives.</summary>
    private static WebApplication FakeCoufun(string[] args, Dictionary<string, string> answers)
    {
        var app = WebApplication.CreateBuilder(args).Build();
        app.MapPost("/b2c_api/coufunPartAmountStatus.do", async (HttpRequest request) =>
        {
            var form = await request.ReadFormAsync();
            var body = "<?xml version=\"1.0\" encoding=\"EUC-KR\"?>\n" + answers.GetValueOrDefault(form["BARCODE_NUM"].ToString(), "<COUFUNSEARCH><RESULT_CODE>16</RESULT_CODE></COUFUNSEARCH>");
            return Results.Bytes(Encoding.ASCII.GetBytes(body), "text/xml; charset=EUC-KR");
        });
        return app;
    }

    private static async Task<HttpClient> SignInAsync(BackOfficeOnSocket b, string role)
    {
        var account = await TestAccounts.InsertAsync(b.Database.Connections, role);
        var client = b.Host.CreateClient();
        client.DefaultRequestHeaders.Authorization = new("Bearer", await CouponDeskFactory.LoginAsync(client, account.LoginId, account.Password));
        return client;
    }
}
