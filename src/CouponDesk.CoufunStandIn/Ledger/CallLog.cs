namespace CouponDesk.CoufunStandIn.Ledger;

/// <summary>
/// When each B2C call arrived (before any injected fault), kept in memory for the life of the stand-in: the witness for
/// a caller's rate limit (issue 22: calls started per second across every process). Capped at
/// <see cref="Capacity"/> entries; the oldest are dropped first. <c>GET /_control/calls?function=create</c> lists them.
/// </summary>
public sealed class CallLog(TimeProvider time)
{
    public const int Capacity = 500_000;

    private readonly Queue<CallArrival> arrivals = new();
    private readonly Lock gate = new();

    public void Record(string function)
    {
        var arrival = new CallArrival(function, time.GetUtcNow().ToUnixTimeMilliseconds());
        lock (gate)
        {
            if (arrivals.Count == Capacity)
            {
                arrivals.Dequeue();
            }

            arrivals.Enqueue(arrival);
        }
    }

    public IReadOnlyList<CallArrival> Arrivals(string? function)
    {
        lock (gate)
        {
            return [.. arrivals.Where(a => function is null || a.Function == function)];
        }
    }

    public void Clear()
    {
        lock (gate)
        {
            arrivals.Clear();
        }
    }
}

/// <summary>One call's arrival: the B2C function (product, create, status, cancel) and the Unix time in milliseconds.</summary>
public sealed record CallArrival(string Function, long ArrivedAtMs);
