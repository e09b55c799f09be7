using System.Collections.Concurrent;

namespace CouponDesk.Data;

/// <summary>
/// A value per key, read at most once per <c>lifetime</c> in this process, for pages every open tab re-reads on a timer
/// (the dashboard, 교환률; D-PERF-2). Callers that miss together wait for one read, which runs on its own and is never
/// cancelled by one caller leaving — under 100 users every dashboard missed at once and each ran its own reads, and all
/// of them timed out. A failed read is not kept. A lifetime of 0 reads on every call (tests).
/// </summary>
public sealed class SharedReadCache<TKey, TValue>(Func<TimeSpan> lifetime, TimeProvider time, int maxEntries = 500)
    where TKey : notnull
{
    private readonly ConcurrentDictionary<TKey, (DateTime At, Task<TValue> Value)> entries = new();

    public async Task<TValue> GetAsync(TKey key, Func<CancellationToken, Task<TValue>> read, CancellationToken ct)
    {
        var keep = lifetime();
        if (keep <= TimeSpan.Zero)
        {
            return await read(ct);
        }

        var now = time.GetUtcNow().UtcDateTime;
        var entry = entries.AddOrUpdate(key,
            _ => (now, Task.Run(() => read(CancellationToken.None))),
            (_, old) => Fresh(old, now, keep) ? old : (now, Task.Run(() => read(CancellationToken.None))));
        if (entries.Count > maxEntries)
        {
            foreach (var old in entries)
            {
                if (!Fresh(old.Value, now, keep))
                {
                    entries.TryRemove(old);
                }
            }
        }

        return await entry.Value.WaitAsync(ct);
    }

    private static bool Fresh((DateTime At, Task<TValue> Value) entry, DateTime now, TimeSpan keep) =>
        now >= entry.At && now - entry.At < keep && !entry.Value.IsFaulted && !entry.Value.IsCanceled;
}
