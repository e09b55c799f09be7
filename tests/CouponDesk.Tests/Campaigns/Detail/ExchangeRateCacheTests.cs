using CouponDesk.Features.CampaignDetail;
using CouponDesk.Tests.Dashboard;
using CouponDesk.TestSupport;
using Dapper;
using Microsoft.Extensions.Time.Testing;

namespace CouponDesk.Tests.Campaigns.Detail;

/// <summary>D-PERF-2: a campaign's 교환률 is reused for the cache time, then read again; a cache time of 0 reads every time.</summary>
public sealed class ExchangeRateCacheTests
{
    [Fact]
    public async Task A_campaigns_rate_is_reused_for_the_cache_time_then_read_again()
    {
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var database = new TestDatabase();
        await database.MigrateAsync();
        var cache = new ExchangeRateCache(database.Connections, new ExchangeRateOptions { CacheSeconds = 60 }, time);
        var uncached = new ExchangeRateCache(database.Connections, new ExchangeRateOptions { CacheSeconds = 0 }, time);
        await using var c = await database.OpenAsync();
        var id = await DashboardExchangeRateApiTests.CampaignAsync(c, "COMPLETED", DateTime.UtcNow.AddDays(-2), delivered: 2);
        Assert.Equal(2, (await cache.ReadAsync(id, CancellationToken.None)).Delivered);

        await c.ExecuteAsync(
            "INSERT INTO delivery_items (campaign_id, list_id, seq, status, ever_delivered, created_at, updated_at) VALUES (@id, 0, 3, 'SENT', 1, UTC_TIMESTAMP(), UTC_TIMESTAMP())",
            new { id });
        time.Advance(TimeSpan.FromSeconds(59));
        Assert.Equal(2, (await cache.ReadAsync(id, CancellationToken.None)).Delivered);
        Assert.Equal(3, (await uncached.ReadAsync(id, CancellationToken.None)).Delivered);
        time.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal(3, (await cache.ReadAsync(id, CancellationToken.None)).Delivered);
    }
}
