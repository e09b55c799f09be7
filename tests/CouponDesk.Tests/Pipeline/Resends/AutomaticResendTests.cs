using CouponDesk.Features.Pipeline.Resends;
using Microsoft.Extensions.DependencyInjection;

namespace CouponDesk.Tests.Pipeline.Resends;

/// <summary>
/// spec D9, §5.5: resend-recommended failures are resent automatically — at most twice, each a new AUTO_RETRY message —
/// and the campaign waits for them before it finishes. Witness: the SNAP stand-in's delivery ledger, per CLIENT_KEY.
/// Numbers: 010-0992-xxxx always fail with 31112 (resend recommended); 010-0996-xxxx fail with 31112 once, then succeed;
/// 010-0993-xxxx fail with 31101 (wrong number, final).
/// </summary>
public sealed class AutomaticResendTests
{
    [Fact]
    public async Task An_always_failing_recipient_gets_1_plus_2_attempts_and_one_that_recovers_gets_2()
    {
        await using var h = await PipelineHarness.StartAsync(extra: AfterSendKit.FastSettings);
        var failing = await h.ScheduleCampaignAsync(2, firstPhone: 9920001);
        var recovering = await h.ScheduleCampaignAsync(2, firstPhone: 9960001);
        var final = await h.ScheduleCampaignAsync(1, firstPhone: 9930001);

        // A second "worker" competing for the same due resends, polling far more often than the real one: claims are
        // SKIP LOCKED + lease, so every resend is still queued exactly once (the ledger counts below would show a double).
        using var stop = new CancellationTokenSource();
        var resender = h.BackOffice.Services.GetRequiredService<Resender>();
        var competitor = Task.Run(async () =>
        {
            while (!stop.IsCancellationRequested)
            {
                try
                {
                    await resender.StepAsync(CancellationToken.None);
                }
                catch (MySqlConnector.MySqlException)
                {
                    // as the worker loop does: a failed pass is logged and tried again
                }
                await Task.Delay(20);
            }
        });

        Assert.Equal("FAILED", await h.WaitForAsync(failing, 90, "COMPLETED", "PARTIALLY_FAILED", "FAILED", "ERROR"));
        Assert.Equal("COMPLETED", await h.WaitForAsync(recovering, 90, "COMPLETED", "PARTIALLY_FAILED", "FAILED", "ERROR"));
        Assert.Equal("FAILED", await h.WaitForAsync(final, 90, "COMPLETED", "PARTIALLY_FAILED", "FAILED", "ERROR"));
        await stop.CancelAsync();
        await competitor;

        // Had the campaign finished while a resend was due, the resends (which need a SENDING campaign) would never have run.
        foreach (var item in await AfterSendKit.LedgerAsync(h, failing))
        {
            Assert.Equal("SEND_FAILED", item.Status);
            Assert.Equal("INITIAL,AUTO_RETRY,AUTO_RETRY", item.Types);
            Assert.Equal(3, item.Delivered);
        }

        foreach (var item in await AfterSendKit.LedgerAsync(h, recovering))
        {
            Assert.Equal("SENT", item.Status);
            Assert.Equal("INITIAL,AUTO_RETRY", item.Types);
            Assert.Equal(2, item.Delivered);
        }

        var wrongNumber = Assert.Single(await AfterSendKit.LedgerAsync(h, final));
        Assert.Equal(("INITIAL", 1), (wrongNumber.Types, wrongNumber.Delivered)); // 31101 is final: never resent

        // Same coupon every time, a new CLIENT_KEY every time, attempt numbers 1, 2, 3; auto resends not counted as operator resends.
        Assert.Equal(2L, await AfterSendKit.ScalarAsync<long>(h,
            "SELECT COUNT(DISTINCT coupon_id) FROM messages WHERE campaign_id = @failing", new { failing }));
        Assert.Equal(6L, await AfterSendKit.ScalarAsync<long>(h,
            "SELECT COUNT(DISTINCT client_key) FROM messages WHERE campaign_id = @failing", new { failing }));
        Assert.Equal("1,2,3", await AfterSendKit.ScalarAsync<string>(h,
            "SELECT GROUP_CONCAT(DISTINCT attempt_no ORDER BY attempt_no) FROM messages WHERE campaign_id = @failing", new { failing }));
        Assert.Equal(0L, await AfterSendKit.ScalarAsync<long>(h,
            "SELECT COUNT(*) FROM delivery_items WHERE campaign_id IN (@failing, @recovering) AND (resend_count <> 0 OR resend_due_at IS NOT NULL)", new { failing, recovering }));
        Assert.Equal(4L, await AfterSendKit.ScalarAsync<long>(h,
            "SELECT COALESCE(SUM(auto_resends), 0) FROM delivery_items WHERE campaign_id = @failing", new { failing }));

        // Each resend had its own image file (copied, so purging the old message's file cannot take the new one's).
        Assert.Equal(6L, await AfterSendKit.ScalarAsync<long>(h,
            "SELECT COUNT(DISTINCT image_files) FROM messages WHERE campaign_id = @failing", new { failing }));
    }
}
