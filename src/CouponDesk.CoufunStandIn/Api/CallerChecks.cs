using System.Net;
using CouponDesk.CoufunStandIn.Ledger;

namespace CouponDesk.CoufunStandIn.Api;

/// <summary>
/// The checks every B2C call passes first, in the order of spec §10: caller address (01), POC_ID (02), function
/// enabled (98), integration period (05). Returns the failing code or null.
/// </summary>
public sealed class CallerChecks(StandInOptions options, StandInLedger ledger)
{
    private readonly HashSet<IPAddress> allowed = [.. options.EffectiveAllowedCallers.Select(Normalize)];

    public string? Check(HttpContext context, string function, string? pocId)
    {
        var remote = context.Connection.RemoteIpAddress;
        if (remote is null || !allowed.Contains(Normalize(remote)))
        {
            return "01";
        }

        if (string.IsNullOrEmpty(pocId) || pocId != options.PocId || options.PocSuspended)
        {
            return "02";
        }

        if (!options.EffectiveEnabledFunctions.Contains(function, StringComparer.OrdinalIgnoreCase))
        {
            return "98";
        }

        if (options.IntegrationEndsOn is { } end && ledger.TodayKst > end)
        {
            return "05";
        }

        return null;
    }

    private static IPAddress Normalize(string address) => Normalize(IPAddress.Parse(address));

    private static IPAddress Normalize(IPAddress address) => address.IsIPv4MappedToIPv6 ? address.MapToIPv4() : address;
}
