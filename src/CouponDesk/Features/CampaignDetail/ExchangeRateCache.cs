using System.ComponentModel.DataAnnotations;
using CouponDesk.Data;

namespace CouponDesk.Features.CampaignDetail;

/// <summary>교환률 settings (section <c>ExchangeRate</c>).</summary>
public sealed class ExchangeRateOptions
{
    public const string Section = "ExchangeRate";

    /// <summary>How long one process reuses a campaign's 교환률 (D-PERF-2). 0 reads it on every request (tests).</summary>
    [Range(0, 3600)]
    public int CacheSeconds { get; set; } = 60;
}

/// <summary>
/// A campaign's 교환률 kept per process for <see cref="ExchangeRateOptions.CacheSeconds"/> (D-PERF-2): the curve reads
/// every item of the campaign and its status history (55,000 rows, up to seconds from disk, for a 20,000-recipient
/// campaign), and it moves only when a coupon is used, which the status sync learns minutes later anyway. Shared by the
/// campaign page and the dashboard's panel (which shows the same campaigns).
/// </summary>
public sealed class ExchangeRateCache(DbConnectionFactory connections, ExchangeRateOptions options, TimeProvider time)
{
    private readonly SharedReadCache<long, ExchangeRateView> cache = new(() => TimeSpan.FromSeconds(options.CacheSeconds), time);

    public Task<ExchangeRateView> ReadAsync(long campaignId, CancellationToken ct) => cache.GetAsync(campaignId, async token =>
    {
        await using var c = await connections.OpenAsync(token);
        return await ExchangeRateEndpoint.QueryAsync(c, campaignId, token);
    }, ct);
}
