using System.Collections.Concurrent;
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
/// campaign page and the dashboard's panel (which shows the same campaigns). One read per campaign at a time: callers
/// that miss together wait for the same read (under 100 users, every dashboard missed at once and each ran its own).
/// </summary>
public sealed class ExchangeRateCache(DbConnectionFactory connections, ExchangeRateOptions options, TimeProvider time)
{
    /// <summary>More campaigns than anyone looks at within a minute; past it the expired entries are dropped.</summary>
    private const int MaxEntries = 500;

    private readonly ConcurrentDictionary<long, (DateTime At, Task<ExchangeRateView> View)> entries = new();

    public async Task<ExchangeRateView> ReadAsync(long campaignId, CancellationToken ct)
    {
        var lifetime = TimeSpan.FromSeconds(options.CacheSeconds);
        if (lifetime <= TimeSpan.Zero)
        {
            return await QueryAsync(campaignId, ct);
        }

        var now = time.GetUtcNow().UtcDateTime;
        var entry = entries.AddOrUpdate(campaignId,
            _ => (now, Start(campaignId)),
            (_, old) => Fresh(old, now, lifetime) ? old : (now, Start(campaignId)));
        if (entries.Count > MaxEntries)
        {
            foreach (var (id, old) in entries)
            {
                if (!Fresh(old, now, lifetime))
                {
                    entries.TryRemove(KeyValuePair.Create(id, old));
                }
            }
        }

        return await entry.View.WaitAsync(ct);
    }

    // A failed read is not kept: the next caller tries again.
    private static bool Fresh((DateTime At, Task<ExchangeRateView> View) entry, DateTime now, TimeSpan lifetime) =>
        now >= entry.At && now - entry.At < lifetime && !entry.View.IsFaulted && !entry.View.IsCanceled;

    // Shared by every caller that waits for it, so no caller's cancellation ends it.
    private Task<ExchangeRateView> Start(long campaignId) => Task.Run(() => QueryAsync(campaignId, CancellationToken.None));

    private async Task<ExchangeRateView> QueryAsync(long campaignId, CancellationToken ct)
    {
        await using var c = await connections.OpenAsync(ct);
        return await ExchangeRateEndpoint.QueryAsync(c, campaignId, ct);
    }
}
