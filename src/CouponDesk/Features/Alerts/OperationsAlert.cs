namespace CouponDesk.Features.Alerts;

/// <summary>
/// One message for the operations channel (spec §5.9). <see cref="Kind"/> is a stable English key (for filtering and
/// throttling), <see cref="Message"/> the Korean text people read. Never put a phone number, a name or a coupon number
/// in either: alerts carry campaign ids, TR_IDs, counts and codes only.
/// </summary>
/// <param name="Kind">Stable key, e.g. <c>campaign.error</c>, <c>issuance.failed</c>, <c>agent.delay</c>.</param>
/// <param name="Message">Korean text, one or two sentences.</param>
/// <param name="Severity">How urgent it is.</param>
/// <param name="Subject">What it concerns (e.g. <c>campaign:42</c>), used with <see cref="Kind"/> to throttle repeats.</param>
public sealed record OperationsAlert(string Kind, string Message, AlertSeverity Severity = AlertSeverity.Warning, string? Subject = null);

public enum AlertSeverity
{
    Info,
    Warning,
    Critical,
}
