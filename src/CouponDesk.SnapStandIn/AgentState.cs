using System.Collections.Concurrent;

namespace CouponDesk.SnapStandIn;

/// <summary>Pause switch and counters (polled, claimed, sent, succeeded, failed by code) for control and benchmarks.</summary>
public sealed class AgentState(AgentOptions options)
{
    private long polled;
    private long claimed;
    private long sent;
    private long succeeded;
    private long failed;

    public bool Paused { get; set; } = options.StartPaused;

    /// <summary>Cycles finished since start; tests wait on it to know a poll has happened.</summary>
    public long Cycles { get; private set; }

    public ConcurrentDictionary<string, long> FailedByCode { get; } = new(StringComparer.Ordinal);

    public void Polled(int n) => Interlocked.Add(ref polled, n);

    public void Claimed(int n) => Interlocked.Add(ref claimed, n);

    public void Sent(int n) => Interlocked.Add(ref sent, n);

    public void Finished(string code, int n)
    {
        if (code == "10000")
        {
            Interlocked.Add(ref succeeded, n);
            return;
        }

        Interlocked.Add(ref failed, n);
        FailedByCode.AddOrUpdate(code, n, (_, v) => v + n);
    }

    public void CycleDone() => Cycles++;

    public object Snapshot() => new
    {
        paused = Paused,
        cycles = Cycles,
        polled = Interlocked.Read(ref polled),
        claimed = Interlocked.Read(ref claimed),
        sent = Interlocked.Read(ref sent),
        succeeded = Interlocked.Read(ref succeeded),
        failed = Interlocked.Read(ref failed),
        failedByCode = FailedByCode.OrderBy(p => p.Key, StringComparer.Ordinal).ToDictionary(p => p.Key, p => p.Value),
    };
}
