using System.Collections.Concurrent;

namespace CouponDesk.Features.Alerts;

/// <summary>
/// Per-process throttle of the webhook: the first alert of a (kind, subject) goes out, repeats within the window are
/// counted and the next one sent after the window says how many were held back. A periodic check that raises the
/// same alert every minute thus posts once per window, not sixty times an hour.
/// </summary>
public sealed class AlertThrottle(AlertsOptions options, TimeProvider time)
{
    private readonly ConcurrentDictionary<(string Kind, string Subject), Entry> entries = new();

    private sealed class Entry
    {
        public DateTimeOffset SentAt;
        public int Suppressed;
    }

    /// <summary>True when the alert may be sent now; <paramref name="suppressed"/> = repeats held back since the last one sent.</summary>
    public bool TryPass(OperationsAlert alert, out int suppressed)
    {
        suppressed = 0;
        var now = time.GetUtcNow();
        var window = TimeSpan.FromSeconds(options.ThrottleSeconds);
        var entry = entries.GetOrAdd((alert.Kind, alert.Subject ?? ""), _ => new Entry { SentAt = DateTimeOffset.MinValue });
        lock (entry)
        {
            if (entry.SentAt != DateTimeOffset.MinValue && now - entry.SentAt < window)
            {
                entry.Suppressed++;
                return false;
            }

            suppressed = entry.Suppressed;
            entry.Suppressed = 0;
            entry.SentAt = now;
        }

        if (entries.Count > 10_000)
        {
            // Subjects are campaign ids and the like; forget the old ones rather than grow without bound.
            foreach (var old in entries.Where(e => now - e.Value.SentAt >= window).Select(e => e.Key).ToList())
            {
                entries.TryRemove(old, out _);
            }
        }

        return true;
    }

    /// <summary>The alert passed but could not be queued: it was not sent, so it must not hold back the next one.</summary>
    public void Forget(OperationsAlert alert)
    {
        if (entries.TryGetValue((alert.Kind, alert.Subject ?? ""), out var entry))
        {
            lock (entry)
            {
                entry.SentAt = DateTimeOffset.MinValue;
            }
        }
    }
}
