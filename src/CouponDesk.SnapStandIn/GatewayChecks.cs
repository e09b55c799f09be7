using CouponDesk.Shared.Imaging;
using CouponDesk.Shared.Snap;
using CouponDesk.Shared.Text;

namespace CouponDesk.SnapStandIn;

/// <summary>A row as the stand-in reads it for checking and sending.</summary>
public sealed record AgentRow(string ClientKey, string? CallbackNumber, string? Phone, string? Title, string? Msg, string? FileList, string ReqMonth);

/// <summary>
/// What the gateway checks, with the codes the stand-in fails with (spec/snap-agent.md §15; the order and the choice
/// among candidate codes are stand-in choices [S]). Text is measured with the same strict EUC-KR as the back office.
/// </summary>
public sealed class GatewayChecks(AgentOptions options)
{
    private readonly HashSet<string> registered = options.RegisteredCallbackNumbers.ToHashSet(StringComparer.Ordinal);

    /// <summary>Null when the row may be sent; otherwise the failure DONE_CODE. The month-table duplicate check (29024) is done per batch by the worker.</summary>
    public string? Check(AgentRow row)
    {
        var files = Files(row.FileList);
        if (string.IsNullOrEmpty(row.CallbackNumber) || string.IsNullOrEmpty(row.Phone) || string.IsNullOrEmpty(row.Msg) || files.Length == 0)
        {
            return "29000";
        }

        var title = EucKr.Measure(row.Title ?? "");
        var body = EucKr.Measure(row.Msg);
        if (!title.IsEncodable || !body.IsEncodable)
        {
            return "29001";
        }

        if (!MmsLimits.IsCallbackNumberFormat(row.CallbackNumber))
        {
            return "31122";
        }

        if (!registered.Contains(row.CallbackNumber))
        {
            return "22002";
        }

        if (!MmsLimits.IsMobileNumber(row.Phone))
        {
            return "31101";
        }

        if (title.ByteCount > MmsLimits.TitleMaxBytes || body.ByteCount > MmsLimits.BodyMaxBytes)
        {
            return "23009";
        }

        return files.Length > MmsLimits.MaxFiles ? "21004" : files.Select(CheckFile).FirstOrDefault(code => code is not null);
    }

    public static string[] Files(string? list) =>
        string.IsNullOrWhiteSpace(list) ? [] : list.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);

    private static string? CheckFile(string path)
    {
        if (!MmsLimits.HasJpegExtension(path))
        {
            return "21006";
        }

        byte[] data;
        try
        {
            if (!Path.IsPathFullyQualified(path) || new FileInfo(path) is not { Exists: true } info)
            {
                return "29029";
            }

            if (info.Length > MmsLimits.MaxFileBytes)
            {
                return "21002";
            }

            data = File.ReadAllBytes(path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return "29029";
        }

        var probe = JpegProbe.Probe(data);
        return probe.Status switch
        {
            JpegProbeStatus.NotJpeg => "23001",
            JpegProbeStatus.Corrupt => "23002",
            _ when probe.Width > MmsLimits.MaxWidth || probe.Height > MmsLimits.MaxHeight => "21007",
            _ => null,
        };
    }
}

/// <summary>
/// The result a sent message gets: a phone rule if its number matches one (deterministic, for tests), else a failure at
/// the configured rate, else <c>10000</c>. Decisions and delays are derived from the CLIENT_KEY, so a restarted
/// stand-in gives a message the same result and delay it would have got.
/// </summary>
public sealed class OutcomePolicy(AgentOptions options)
{
    public const string NoResult = "none";

    private readonly Dictionary<string, List<string>> keysByPhone = new(StringComparer.Ordinal);

    /// <summary>
    /// The DONE_CODE, or <see cref="NoResult"/> for a message that never gets a carrier report. A rule <c>CODE:N</c> fails
    /// only the first N messages (distinct CLIENT_KEYs) to each matching number and lets later ones through — "succeeds on
    /// the next attempt". Counted in memory: a restarted stand-in starts counting again.
    /// </summary>
    public string Decide(string clientKey, string? phone)
    {
        foreach (var (prefix, rule) in options.PhoneRules.OrderByDescending(r => r.Key.Length))
        {
            if (phone is not null && phone.StartsWith(prefix, StringComparison.Ordinal))
            {
                var colon = rule.IndexOf(':', StringComparison.Ordinal);
                if (colon < 0)
                {
                    return rule;
                }

                if (Ordinal(phone, clientKey) < int.Parse(rule[(colon + 1)..], System.Globalization.CultureInfo.InvariantCulture))
                {
                    return rule[..colon];
                }

                break;
            }
        }

        var roll = Unit(clientKey, 1);
        return options.FailureRate > 0 && roll < options.FailureRate && options.FailureCodes.Length > 0
            ? options.FailureCodes[(int)(Unit(clientKey, 2) * options.FailureCodes.Length)]
            : SnapDoneCodes.Success;
    }

    /// <summary>0 for the first CLIENT_KEY seen for this number, 1 for the second… (stable for a key).</summary>
    private int Ordinal(string phone, string clientKey)
    {
        lock (keysByPhone)
        {
            if (!keysByPhone.TryGetValue(phone, out var keys))
            {
                keysByPhone[phone] = keys = [];
            }

            var index = keys.IndexOf(clientKey);
            if (index >= 0)
            {
                return index;
            }

            keys.Add(clientKey);
            return keys.Count - 1;
        }
    }

    public TimeSpan DeliveryDelay(string clientKey)
    {
        var min = Math.Min(options.DeliveryDelayMinMs, options.DeliveryDelayMaxMs);
        var max = Math.Max(options.DeliveryDelayMinMs, options.DeliveryDelayMaxMs);
        return TimeSpan.FromMilliseconds(min + ((max - min) * Unit(clientKey, 3)));
    }

    public string Telco(string clientKey) =>
        options.Telcos.Length == 0 ? "LGU" : options.Telcos[(int)(Unit(clientKey, 4) * options.Telcos.Length)];

    /// <summary>A stable number in [0, 1) from the key and a salt (FNV-1a; not for security).</summary>
    private static double Unit(string key, int salt)
    {
        var hash = 2166136261u ^ (uint)salt;
        foreach (var c in key)
        {
            hash = (hash ^ c) * 16777619u;
        }

        hash ^= hash >> 15;
        hash *= 0x2c1b3c6du;
        hash ^= hash >> 12;
        return hash / 4294967296.0;
    }
}
