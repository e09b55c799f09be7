using CouponDesk.Data;

namespace CouponDesk.Features.Dashboard;

/// <summary>The dashboard of a period as this process last read it, for <see cref="DashboardOptions.CacheSeconds"/> (D-PERF-2).</summary>
public sealed class DashboardSnapshots(DashboardQueries queries, DashboardOptions options, TimeProvider time)
{
    private readonly SharedReadCache<string, Dashboard> cache = new(() => TimeSpan.FromSeconds(options.CacheSeconds), time, maxEntries: 10);

    public Task<Dashboard> GetAsync(string period, CancellationToken ct) => cache.GetAsync(period, token => queries.GetAsync(period, token), ct);
}
