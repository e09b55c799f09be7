namespace CouponDesk.Security;

/// <summary>
/// The explicit, short list of route patterns anyone may call (spec §8: login, health, the COUFUN exchange push — add
/// it here with its IP allowlist), plus the API documentation, which holds no data. Such an endpoint declares
/// <c>.AllowAnonymous()</c>; <c>EndpointPolicyTests</c> fails for any endpoint that has neither a policy of
/// <see cref="Policies"/> nor a place on this list.
/// </summary>
public static class AnonymousEndpoints
{
    public static readonly IReadOnlyList<string> RoutePatterns =
    [
        "/api/auth/login",
        "/api/coufun/exchange",
        "/health/live",
        "/health/ready",
        "/openapi/{documentName}.json",
        "/docs/{documentName?}",
        "/docs/scalar.js",
        "/docs/scalar.aspnetcore.js",
        "/docs/favicon.svg",
    ];
}
