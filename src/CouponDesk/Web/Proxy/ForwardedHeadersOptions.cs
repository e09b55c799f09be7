using CouponDesk.Shared.Hosting;

namespace CouponDesk.Web.Proxy;

/// <summary>
/// The reverse proxy in front of Kestrel (section <c>Web:ForwardedHeaders</c>). Only a request whose TCP peer is one of
/// <see cref="KnownProxies"/> may say, through <c>X-Forwarded-For</c> / <c>X-Forwarded-Proto</c>, who the client is;
/// everyone else's forwarded headers are ignored. On by default in Production (the design puts Nginx in front), so a
/// Production start without a known proxy stops with one line instead of auditing the proxy's address (D-OPS-1).
/// </summary>
public sealed class ProxySettings : ISelfValidatingSettings
{
    public const string Section = "Web:ForwardedHeaders";

    /// <summary>Whether forwarded headers are honoured at all. Unset: on in Production, off elsewhere.</summary>
    public bool? Enabled { get; set; }

    /// <summary>Addresses or CIDR ranges of the reverse proxies (Nginx on the same host: <c>127.0.0.1</c>).</summary>
    public List<string> KnownProxies { get; set; } = [];

    /// <summary>Set at registration from the environment when <see cref="Enabled"/> is unset.</summary>
    internal bool EnabledByDefault { get; set; }

    public bool IsEnabled => Enabled ?? EnabledByDefault;

    public IEnumerable<string> Validate()
    {
        foreach (var proxy in KnownProxies.Where(p => !AddressRanges.IsValid(p)))
        {
            yield return $"KnownProxies: '{proxy}' is neither an IP address nor a CIDR range";
        }

        if (IsEnabled && KnownProxies.Count == 0)
        {
            yield return "KnownProxies: is empty while forwarded headers are enabled; list the reverse proxy's address "
                + "(Nginx on this host: 127.0.0.1), or set Web:ForwardedHeaders:Enabled=false when no proxy is in front";
        }
    }
}
