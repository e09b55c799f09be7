using System.Globalization;
using System.Security.Claims;

namespace CouponDesk.Features.Audit;

/// <summary>
/// Who is acting and from where, taken from the request: the signed-in user (id and login from the validated session),
/// the remote address and user agent, and the correlation id. Start every audit entry of an endpoint from it:
/// <c>AuditActor.From(http).Entry("campaign.created") with { TargetType = "campaign", TargetId = … }</c>.
/// </summary>
public sealed record AuditActor(long? UserId, string? Login, string? SourceIp, string? UserAgent, string? CorrelationId)
{
    public static AuditActor From(HttpContext http)
    {
        var user = http.User;
        long? id = long.TryParse(user.FindFirstValue(ClaimTypes.NameIdentifier), NumberStyles.None, CultureInfo.InvariantCulture, out var value) ? value : null;
        return new AuditActor(
            id,
            user.Identity?.IsAuthenticated == true ? user.FindFirstValue(ClaimTypes.Name) : null,
            RemoteAddress(http),
            http.Request.Headers.UserAgent.ToString() is { Length: > 0 } agent ? agent : null,
            http.TraceIdentifier);
    }

    /// <summary>
    /// The client address as Kestrel sees it. Behind Nginx, configure ForwardedHeaders with the proxy as a known proxy so
    /// this is the browser's address; a client-sent X-Forwarded-For is never trusted on its own.
    /// </summary>
    public static string RemoteAddress(HttpContext http) =>
        http.Connection.RemoteIpAddress is { } address
            ? (address.IsIPv4MappedToIPv6 ? address.MapToIPv4() : address).ToString()
            : "unknown";

    /// <summary>
    /// Set when this actor executes someone else's request they approved (two-person approval, spec §1.3): the action is
    /// recorded as the requester's, with this actor as its approver.
    /// </summary>
    public ApprovedRequest? Approval { get; init; }

    public AuditEntry Entry(string action, string outcome = AuditOutcome.Success) => new()
    {
        Action = action,
        Outcome = outcome,
        ActorUserId = UserId,
        ActorLogin = Login,
        SourceIp = SourceIp,
        UserAgent = UserAgent,
        CorrelationId = CorrelationId,
    };
}

/// <summary>The approved request an action runs for: its id and its requester (spec §1.3 item 4).</summary>
public sealed record ApprovedRequest(long RequestId, long? RequesterId, string? RequesterLogin);
