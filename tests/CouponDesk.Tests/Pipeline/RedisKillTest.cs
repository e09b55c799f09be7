using Dapper;
using StackExchange.Redis;

namespace CouponDesk.Tests.Pipeline;

/// <summary>
/// Redis is optional (design): the COUFUN limiter and locks share state through it when configured. Here the campaign
/// runs with its own redis-server (never the suite's shared one), which is SIGKILLed while coupons are being issued;
/// the campaign must still finish with the witnesses' guarantees.
/// </summary>
public sealed class RedisKillTest
{
    [Fact]
    public async Task Redis_killed_mid_campaign_the_campaign_still_finishes_once_per_recipient()
    {
        using var redis = await OwnRedis.StartAsync();
        const int recipients = 120;
        await using var h = await PipelineHarness.StartAsync(extra:
        [
            new("Redis:Configuration", redis.Configuration),
            new("Pipeline:CouponsPerOrder", "2"),
        ]);
        // Slow enough that the kill lands mid-issuance.
        await h.Coufun.SetFaultsAsync(new { endpoints = new[] { "create" }, latencyMinMs = 50, latencyMaxMs = 150 });
        var id = await h.ScheduleCampaignAsync(recipients);

        await WaitAsync(async () => await IssuedAsync(h, id) >= 10, "the first coupons");
        // The limiter really went through this Redis before the kill.
        using (var mux = await ConnectionMultiplexer.ConnectAsync(redis.Configuration))
        {
            Assert.NotEmpty(mux.GetServer(redis.Configuration).Keys(pattern: "coupondesk:coufun:*"));
        }

        var issuedAtKill = await IssuedAsync(h, id);
        redis.Kill();
        Assert.True(issuedAtKill < recipients, "the kill must land before issuance ended");

        Assert.Equal("COMPLETED", await h.WaitForAsync(id, 180, "COMPLETED", "PARTIALLY_FAILED", "FAILED", "ERROR"));
        var w = await PipelineWitness.ReadAsync(h.Database, h.Coufun, id);
        Assert.Equal(recipients, w.SentItems);
        Assert.Equal(0, w.RecipientsDeliveredTwice);
        Assert.Equal(0, w.RecipientsNeverDelivered);
        Assert.Equal(0, w.StoredCouponsHeldByNobody);
        Assert.Equal(recipients, w.CouponsStored);
        // One coupon per recipient by the stand-in's per-TR_ID counters, apart from in-doubt orders (listed for the operator).
        Assert.Equal(w.CouponsBoughtAtCoufun, recipients + w.CouponsBoughtForInDoubtOrders);
    }

    private static async Task<int> IssuedAsync(PipelineHarness h, long id)
    {
        await using var c = await h.Database.OpenAsync();
        return await c.ExecuteScalarAsync<int>("SELECT COUNT(*) FROM delivery_items WHERE campaign_id = @id AND coupon_id IS NOT NULL", new { id });
    }

    private static async Task WaitAsync(Func<Task<bool>> condition, string what)
    {
        for (var i = 0; i < 1200; i++)
        {
            if (await condition())
            {
                return;
            }

            await Task.Delay(50);
        }

        throw new TimeoutException($"never saw {what}");
    }
}
