namespace CouponDesk.CoufunStandIn;

/// <summary>What to do wrong with one call; drawn once per call from the current <see cref="FaultSettings"/>.</summary>
public sealed record FaultDecision(int LatencyMs, bool ServerError, string? ForcedCode, bool RecordTrId, bool Stall, int StallMs, bool Malformed, bool DropAfterCreate, bool DropByStalling)
{
    public static readonly FaultDecision None = new(0, false, null, false, false, 0, false, false, false);
}

/// <summary>Holds the fault settings (from configuration, replaceable through the control API) and draws decisions.</summary>
public sealed class FaultInjector(StandInOptions options)
{
    private readonly Lock gate = new();
    private FaultSettings current = options.Faults;

    public FaultSettings Current
    {
        get
        {
            lock (gate)
            {
                return current;
            }
        }
    }

    public void Replace(FaultSettings settings)
    {
        lock (gate)
        {
            current = settings;
        }
    }

    public FaultDecision Decide(string endpoint, string? goodsId)
    {
        lock (gate)
        {
            var f = current;
            if ((f.Endpoints.Count > 0 && !f.Endpoints.Contains(endpoint, StringComparer.OrdinalIgnoreCase))
                || (f.GoodsIds.Count > 0 && (goodsId is null || !f.GoodsIds.Contains(goodsId)))
                || f.Remaining == 0)
            {
                return FaultDecision.None;
            }

            var decision = new FaultDecision(
                LatencyMs: f.LatencyMaxMs > 0 ? Random.Shared.Next(f.LatencyMinMs, f.LatencyMaxMs + 1) : 0,
                ServerError: Hit(f.ServerErrorRate),
                ForcedCode: Hit(f.ForcedCodeRate) ? f.ForcedCode : null,
                RecordTrId: f.ForcedCodeRecordsTrId,
                Stall: Hit(f.TimeoutRate),
                StallMs: f.StallMs,
                Malformed: Hit(f.MalformedRate),
                DropAfterCreate: endpoint == "create" && Hit(f.DropAfterCreateRate),
                DropByStalling: f.DropByStalling);
            var faulted = decision.ServerError || decision.ForcedCode is not null || decision.Stall || decision.Malformed || decision.DropAfterCreate;
            if (faulted && f.Remaining is { } remaining)
            {
                f.Remaining = remaining - 1;
            }

            return decision;
        }
    }

    private static bool Hit(double rate) => rate >= 1 || (rate > 0 && Random.Shared.NextDouble() < rate);
}
