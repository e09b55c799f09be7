using System.ComponentModel.DataAnnotations;
using System.Net;
using CouponDesk.Shared.Hosting;

namespace CouponDesk.Features.Coupons;

/// <summary>The exchange push receiver (section <c>Coufun:ExchangePush</c>).</summary>
public sealed class ExchangePushOptions : ISelfValidatingSettings
{
    public const string Section = "Coufun:ExchangePush";

    /// <summary>COUFUN's source addresses: single IPs or CIDR ranges. Empty = every push is refused with 01.</summary>
    public List<string> AllowedSources { get; set; } = [];

    /// <summary>Largest request body accepted (the fields add up to well under 1 KB).</summary>
    [Range(256, 1024 * 1024)]
    public int MaxBodyBytes { get; set; } = 8192;

    /// <summary>Parsed <see cref="AllowedSources"/>.</summary>
    public IReadOnlyList<IPNetwork> Networks => [.. AllowedSources.Select(Parse)];

    public IEnumerable<string> Validate()
    {
        foreach (var source in AllowedSources)
        {
            if (!IPNetwork.TryParse(source, out _) && !IPAddress.TryParse(source, out _))
            {
                yield return $"AllowedSources: '{source}' is neither an IP address nor a CIDR range";
            }
        }
    }

    private static IPNetwork Parse(string source) =>
        IPNetwork.TryParse(source, out var network) ? network : new IPNetwork(IPAddress.Parse(source), IPAddress.Parse(source).AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork ? 32 : 128);
}
