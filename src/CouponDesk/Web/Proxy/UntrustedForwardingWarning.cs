using System.Collections.Concurrent;
using System.Net;
using Microsoft.Extensions.Options;

namespace CouponDesk.Web.Proxy;

/// <summary>
/// Says once per peer address that it sent <c>X-Forwarded-For</c> which was not trusted (the peer is not a known proxy,
/// or forwarded headers are off): either a client forging its address or a proxy that is missing from
/// <c>Web:ForwardedHeaders:KnownProxies</c>. The request itself goes on with the peer's own address.
/// </summary>
public sealed class UntrustedForwardingWarning : IMiddleware
{
    private const int MaxRemembered = 1000;

    private readonly ConcurrentDictionary<IPAddress, byte> warned = new();
    private readonly ILogger<UntrustedForwardingWarning> logger;
    private readonly bool enabled;

    public UntrustedForwardingWarning(IOptions<ProxySettings> proxy, ILogger<UntrustedForwardingWarning> logger)
    {
        this.logger = logger;
        enabled = proxy.Value.IsEnabled;
    }

    public Task InvokeAsync(HttpContext context, RequestDelegate next)
    {
        // The forwarded-headers middleware removes the header it applied; one left over was not trusted.
        if (context.Request.Headers.ContainsKey("X-Forwarded-For") && context.Connection.RemoteIpAddress is { } peer
            && warned.Count < MaxRemembered && warned.TryAdd(peer, 0))
        {
            logger.LogWarning("X-Forwarded-For from {Peer} was ignored: {Reason}", peer.ToString(),
                enabled ? "the peer is not in Web:ForwardedHeaders:KnownProxies" : "forwarded headers are off (Web:ForwardedHeaders:Enabled)");
        }

        return next(context);
    }
}
