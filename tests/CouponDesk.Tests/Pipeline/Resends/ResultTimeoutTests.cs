using CouponDesk.Features.Messages;
using CouponDesk.Features.Pipeline;
using CouponDesk.Features.Pipeline.Resends;
using CouponDesk.TestSupport;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace CouponDesk.Tests.Pipeline.Resends;

/// <summary>
/// Spec §5.5: 24 h after REQ_DATE without a result → RESULT_TIMEOUT ("결과 미수신"), an alert, and no automatic resend.
/// 010-0995-xxxx messages are taken by the SNAP stand-in and never get a result (they stay in <c>request</c>). The
/// result sync is run with a clock 25 h ahead instead of waiting a day.
/// </summary>
public sealed class ResultTimeoutTests
{
    [Fact]
    public async Task A_message_the_agent_took_but_never_answered_times_out_is_alerted_and_is_not_resent()
    {
        await using var h = await PipelineHarness.StartAsync(extra: AfterSendKit.FastSettings);
        var id = await h.ScheduleCampaignAsync(1, firstPhone: 9950001);
        await AfterSendKit.WaitAsync(async () => await AfterSendKit.ScalarAsync<long>(h,
            "SELECT COUNT(*) FROM messages WHERE campaign_id = @id AND status = 'IN_AGENT'", new { id }) == 1);

        var alerts = new RecordingAlerts();
        var services = h.BackOffice.Services;
        var later = new FakeTimeProvider(DateTimeOffset.UtcNow.AddHours(25));
        IDeliveryResultHandler[] handlers =
        [
            ActivatorUtilities.CreateInstance<PipelineResultHandler>(services, later),
            ActivatorUtilities.CreateInstance<AutoResendPlanner>(services, later),
            new ResultTimeoutAlerts(alerts),
        ];
        var sync = ActivatorUtilities.CreateInstance<DeliveryResultSync>(services, later, (IEnumerable<IDeliveryResultHandler>)handlers);
        var summary = await sync.RunOnceAsync(CancellationToken.None);

        Assert.Equal(1, summary.Final);
        Assert.Equal("RESULT_TIMEOUT", await AfterSendKit.ScalarAsync<string>(h, "SELECT status FROM messages WHERE campaign_id = @id", new { id }));
        Assert.Equal("결과 미수신", await AfterSendKit.ScalarAsync<string>(h, "SELECT failure_reason FROM delivery_items WHERE campaign_id = @id", new { id }));
        var alert = Assert.Single(alerts.Raised);
        Assert.Equal(ResultTimeoutAlerts.Kind, alert.Kind);
        Assert.Equal($"campaign:{id}", alert.Subject);
        Assert.DoesNotContain("0995", alert.Message, StringComparison.Ordinal);

        // Never resent automatically: the campaign finishes FAILED with exactly one message.
        Assert.Equal("FAILED", await h.WaitForAsync(id, 30, "COMPLETED", "PARTIALLY_FAILED", "FAILED", "ERROR"));
        Assert.Equal(1L, await AfterSendKit.ScalarAsync<long>(h, "SELECT COUNT(*) FROM messages WHERE campaign_id = @id", new { id }));
    }
}
