using System.Net;

namespace CouponDesk.Web.Proxy;

/// <summary>
/// Lists of single addresses or CIDR ranges from configuration (<c>127.0.0.1</c>, <c>10.0.0.0/24</c>, <c>::1</c>), as
/// used by the proxy, metrics and push allowlists. IPv4-mapped IPv6 peers are compared as IPv4.
/// </summary>
public static class AddressRanges
{
    public static bool IsValid(string value) => IPNetwork.TryParse(value, out _) || IPAddress.TryParse(value, out _);

    public static IPNetwork Parse(string value)
    {
        if (IPNetwork.TryParse(value, out var network))
        {
            return network;
        }

        var address = IPAddress.Parse(value);
        return new IPNetwork(address, address.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork ? 32 : 128);
    }

    public static bool Contains(IEnumerable<IPNetwork> networks, IPAddress? address)
    {
        if (address is null)
        {
            return false;
        }

        var normalized = address.IsIPv4MappedToIPv6 ? address.MapToIPv4() : address;
        return networks.Any(n => n.Contains(normalized));
    }
}
