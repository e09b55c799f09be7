namespace CouponDesk.Integrations.Snap;

/// <summary>
/// What the agent's tables say about one CLIENT_KEY. Times are converted from the agent's KST wall-clock columns to UTC.
/// <see cref="IsComplete"/> rows carry the final result; others are in flight (or still <c>ready</c>).
/// </summary>
public sealed record AgentResultRow(
    string ClientKey,
    string MsgStatus,
    DateTime? SentAtUtc,
    DateTime? DoneAtUtc,
    string? DoneCode,
    string? DoneCodeDesc,
    string? DoneTelco,
    string? DoneProduct,
    bool FromLogTable)
{
    public bool IsComplete => MsgStatus == "complete" || FromLogTable;

    public bool IsReady => MsgStatus == "ready" && !FromLogTable;
}

/// <summary>A message to look up: its key and the UTC instant of its <c>REQ_DATE</c> (which bounds the month tables to read).</summary>
public sealed record AgentLookup(string ClientKey, DateTime ReqAtUtc);
