using System.Net;
using System.Net.Http.Json;
using CouponDesk.Features.Pipeline.Cancels;
using CouponDesk.Tests.Pipeline.Resends;
using CouponDesk.TestSupport;
using Dapper;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace CouponDesk.Tests.Pipeline.Cancels;

/// <summary>
/// Cancel follow-up (C13, §5.8): COUFUN cancels that fail are retried (every second here, every 10 minutes in production)
/// until they succeed, or given up after the window — listed (<c>coupon_cancels.state = 'GAVE_UP'</c>) and alerted.
/// </summary>
public sealed class CancelFollowUpTests
{
    [Fact]
    public async Task Cancels_that_fail_at_COUFUN_are_retried_until_it_recovers_and_then_the_campaign_finishes()
    {
        await using var h = await PipelineHarness.StartAsync(extra: [.. AfterSendKit.FastSettings, new("Pipeline:IssueConcurrency", "1"), new("Pipeline:CouponsPerOrder", "1")]);
        using var client = await AfterSendKit.OperatorAsync(h);
        var id = await CancelUnsentTests.PausedAfterFirstDeliveryAsync(h, client, 6);
        var unsent = (int)await AfterSendKit.CountAsync(h, id, "ISSUED");
        Assert.True(unsent >= 1);

        // Every cancel call answers 99 (system error) until COUFUN "recovers".
        await h.Coufun.SetFaultsAsync(new { endpoints = new[] { "cancel" }, forcedCodeRate = 1.0, forcedCode = "99" });
        var answer = await (await client.PostAsJsonAsync($"/api/campaigns/{id}/pipeline/cancel-unsent", new { reason = "공급사 점검" })).JsonAsync(HttpStatusCode.OK);
        Assert.Equal(unsent, answer.GetProperty("cancelledItems").GetInt32());
        Assert.Equal(0, answer.GetProperty("couponsCancelled").GetInt32());
        Assert.Equal(unsent, answer.GetProperty("couponCancelsPending").GetInt32());
        using var snap = h.Snap.CreateClient();
        (await snap.PostAsync("_control/resume", null)).EnsureSuccessStatusCode();
        await AfterSendKit.WaitAsync(async () => await AfterSendKit.ScalarAsync<long>(h,
            "SELECT COALESCE(MIN(attempts), 0) FROM coupon_cancels WHERE campaign_id = @id", new { id }) >= 2);
        Assert.Equal("CANCELLING", await h.StatusAsync(id)); // held while coupons are not cancelled
        await h.Coufun.ClearFaultsAsync();

        Assert.Equal("COMPLETED", await h.WaitForAsync(id, 60, "COMPLETED", "PARTIALLY_FAILED", "FAILED", "CANCELLED"));
        await using var read = await h.Database.OpenAsync();
        var rows = (await read.QueryAsync<(string State, int Attempts)>("SELECT state, attempts FROM coupon_cancels WHERE campaign_id = @id", new { id })).ToList();
        Assert.Equal(unsent, rows.Count);
        Assert.All(rows, r => Assert.Equal("DONE", r.State));
        Assert.All(rows, r => Assert.True(r.Attempts >= 3)); // failed at once, failed again in the follow-up, then done
        Assert.Equal(unsent, await read.ExecuteScalarAsync<int>(
            "SELECT COUNT(*) FROM coupons k JOIN delivery_items d ON d.coupon_id = k.id WHERE d.campaign_id = @id AND d.status = 'CANCELLED' AND k.status = 'CANCELLED'", new { id }));
    }

    [Fact]
    public async Task A_cancel_still_failing_after_the_window_is_given_up_listed_and_alerted()
    {
        await using var h = await PipelineHarness.StartAsync(roles: "web", extra: AfterSendKit.FastSettings);
        await h.Coufun.SetFaultsAsync(new { endpoints = new[] { "cancel" }, forcedCodeRate = 1.0, forcedCode = "99" });
        var id = await h.ScheduleCampaignAsync(1);
        var now = DateTime.UtcNow;
        var pii = h.BackOffice.Services.GetRequiredService<global::CouponDesk.Security.Pii.PiiProtector>();
        long couponId;
        await using (var c = await h.Database.OpenAsync())
        {
            couponId = await c.ExecuteScalarAsync<long>(
                """
                INSERT INTO coupons (coupon_number_enc, coupon_number_index, coupon_number_last4, key_version, goods_id, coupon_type, status, face_value, price, balance,
                                     valid_until, issued_at, created_at, updated_at)
                VALUES (@enc, @idx, '0001', 1, '0000000101', 'BARCODE', 'UNUSED', 4500, 4230, 4500, @valid, @now, @now, @now);
                SELECT LAST_INSERT_ID();
                """, new { enc = pii.Encrypt("900000000001"), idx = pii.BlindIndex("coupon", "900000000001"), valid = now.AddDays(30).Date, now });
            // First tried a day ago, retried since: the window (24 h) is over.
            await c.ExecuteAsync(
                """
                INSERT INTO coupon_cancels (coupon_id, campaign_id, item_id, source, state, attempts, next_attempt_at, created_at, first_attempt_at, last_attempt_at, updated_at)
                VALUES (@couponId, @id, NULL, 'PARTIAL_CANCEL', 'RETRY', 144, @now, @dayAgo, @dayAgo, @now, @now)
                """, new { couponId, id, now, dayAgo = now.AddHours(-24).AddMinutes(-1) });
        }

        var alerts = new RecordingAlerts();
        var cancellations = ActivatorUtilities.CreateInstance<CouponCancellations>(h.BackOffice.Services, (global::CouponDesk.Features.Alerts.IOperationsAlerts)alerts);
        Assert.Equal(1, await cancellations.AttemptDueAsync(null, CancellationToken.None));

        Assert.Equal("GAVE_UP", await AfterSendKit.ScalarAsync<string>(h, "SELECT state FROM coupon_cancels WHERE coupon_id = @couponId", new { couponId }));
        Assert.Equal("99", await AfterSendKit.ScalarAsync<string>(h, "SELECT last_code FROM coupon_cancels WHERE coupon_id = @couponId", new { couponId }));
        var alert = Assert.Single(alerts.Raised);
        Assert.Equal(CouponCancellations.GaveUpAlertKind, alert.Kind);
        Assert.Equal($"campaign:{id}", alert.Subject);
        Assert.DoesNotContain("900000000001", alert.Message, StringComparison.Ordinal);
        // Given up: no further calls.
        Assert.Equal(0, await cancellations.AttemptDueAsync(null, CancellationToken.None));

        // A row still inside the window is retried later instead.
        var early = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using (var c = await h.Database.OpenAsync())
        {
            await c.ExecuteAsync("UPDATE coupon_cancels SET state = 'RETRY', first_attempt_at = @now, next_attempt_at = @now WHERE coupon_id = @couponId", new { couponId, now = DateTime.UtcNow.AddSeconds(-1) });
        }

        var inWindow = ActivatorUtilities.CreateInstance<CouponCancellations>(h.BackOffice.Services, (global::CouponDesk.Features.Alerts.IOperationsAlerts)alerts, (TimeProvider)early);
        Assert.Equal(1, await inWindow.AttemptDueAsync(null, CancellationToken.None));
        Assert.Equal("RETRY", await AfterSendKit.ScalarAsync<string>(h, "SELECT state FROM coupon_cancels WHERE coupon_id = @couponId", new { couponId }));
        Assert.Single(alerts.Raised);
    }
}
