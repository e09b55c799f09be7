using System.Collections.Concurrent;
using System.ComponentModel.DataAnnotations;
using MySqlConnector;

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
public sealed class ExchangeRateCache(ExchangeRateOptions options, TimeProvider time)
{
    /// <summary>More campaigns than anyone looks at within a minute; past it the expired entries are dropped.</summary>
    private const int MaxEntries = 500;

    private readonly ConcurrentDictionary<long, (DateTime At, ExchangeRateView View)> entries = new();

    public async Task<ExchangeRateView> ReadAsync(MySqlConnection c, long campaignId, CancellationToken ct)
    {
        var now = time.GetUtcNow().UtcDateTime;
        var lifetime = TimeSpan.FromSeconds(options.CacheSeconds);
        if (entries.TryGetValue(campaignId, out var hit) && now >= hit.At && now - hit.At < lifetime)
        {
            return hit.View;
        }

        var view = await ExchangeRateEndpoint.QueryAsync(c, campaignId, ct);
        if (lifetime > TimeSpan.Zero)
        {
            if (entries.Count >= MaxEntries)
            {
                foreach (var (id, entry) in entries)
                {
                    if (now - entry.At >= lifetime || now < entry.At)
                    {
                        entries.TryRemove(id, out _);
                    }
                }
            }

            entries[campaignId] = (now, view);
        }

        return view;
    }
}
