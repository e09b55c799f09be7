namespace CouponDesk.CoufunStandIn;

/// <summary>
/// Fault injection (spec §10). Rates are probabilities 0–1 per matching call. <see cref="Remaining"/> limits the
/// faults to the next N matching calls, which makes a test deterministic ("the next create answers 99").
/// </summary>
public sealed class FaultSettings
{
    /// <summary>Endpoints the faults apply to (product, create, status, cancel); empty = all four.</summary>
    public List<string> Endpoints { get; set; } = [];

    /// <summary>Only calls for these GOODS_IDs; empty = any.</summary>
    public List<string> GoodsIds { get; set; } = [];

    /// <summary>Added latency, uniformly drawn between min and max milliseconds.</summary>
    public int LatencyMinMs { get; set; }

    public int LatencyMaxMs { get; set; }

    /// <summary>Answer HTTP 500 (an HTML page, as a broken server would) before doing anything.</summary>
    public double ServerErrorRate { get; set; }

    /// <summary>Answer <see cref="ForcedCode"/> (e.g. 50, 99, 23) instead of processing.</summary>
    public double ForcedCodeRate { get; set; }

    public string ForcedCode { get; set; } = "99";

    /// <summary>A forced failure on create still consumes its TR_ID (default no, spec §10).</summary>
    public bool ForcedCodeRecordsTrId { get; set; }

    /// <summary>Stall for <see cref="StallMs"/> before doing anything (the caller times out; nothing is created).</summary>
    public double TimeoutRate { get; set; }

    public int StallMs { get; set; } = 60_000;

    /// <summary>Process the call, then send a truncated, unparsable body.</summary>
    public double MalformedRate { get; set; }

    /// <summary>Create only: commit the order and its coupons, then drop the connection (or stall, see <see cref="DropByStalling"/>).</summary>
    public double DropAfterCreateRate { get; set; }

    /// <summary>Drop by stalling for <see cref="StallMs"/> instead of resetting the connection.</summary>
    public bool DropByStalling { get; set; }

    /// <summary>Apply to the next N matching calls only; null = no limit.</summary>
    public int? Remaining { get; set; }

    public IEnumerable<string> Validate()
    {
        foreach (var (name, rate) in new[]
                 {
                     (nameof(ServerErrorRate), ServerErrorRate), (nameof(ForcedCodeRate), ForcedCodeRate),
                     (nameof(TimeoutRate), TimeoutRate), (nameof(MalformedRate), MalformedRate),
                     (nameof(DropAfterCreateRate), DropAfterCreateRate),
                 })
        {
            if (rate is < 0 or > 1 || double.IsNaN(rate))
            {
                yield return $"{name}: must be between 0 and 1";
            }
        }

        if (LatencyMinMs < 0 || LatencyMaxMs < LatencyMinMs)
        {
            yield return "LatencyMaxMs: latency needs 0 <= LatencyMinMs <= LatencyMaxMs";
        }

        if (StallMs < 0)
        {
            yield return "StallMs: must not be negative";
        }

        if (ForcedCode is not { Length: 2 } || !ForcedCode.All(char.IsAsciiDigit))
        {
            yield return "ForcedCode: must be two digits";
        }

        if (Remaining is < 0)
        {
            yield return "Remaining: must not be negative";
        }
    }
}
