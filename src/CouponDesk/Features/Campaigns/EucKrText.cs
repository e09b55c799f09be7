using System.Globalization;
using System.Text;
using CouponDesk.Shared.Text;

namespace CouponDesk.Features.Campaigns;

/// <summary>
/// MMS text as campaign registration checks it (spec §0.3, snap-agent.md §9.1): bytes and unencodable characters come
/// from the shared strict EUC-KR encoder (<see cref="EucKr"/>, the one the SNAP stand-in uses too); on top of it,
/// control characters other than LF are refused and named by code point.
/// </summary>
public static class EucKrText
{
    /// <summary>Line breaks become LF (spec §0.3: normalised to LF, 1 byte).</summary>
    public static string NormalizeLineBreaks(string text) => text.Replace("\r\n", "\n", StringComparison.Ordinal).Replace('\r', '\n');

    public static CampaignTextMeasure Measure(string text)
    {
        var bad = new List<string>();
        foreach (var rune in text.EnumerateRunes())
        {
            if (Rune.IsControl(rune) && rune.Value != '\n')
            {
                AddOnce(bad, $"U+{rune.Value:X4}");
            }
        }

        var measure = EucKr.Measure(text);
        foreach (var rune in measure.Unencodable)
        {
            AddOnce(bad, rune.ToString());
        }

        return new CampaignTextMeasure(measure.ByteCount, bad);
    }

    private static void AddOnce(List<string> list, string value)
    {
        if (!list.Contains(value, StringComparer.Ordinal) && list.Count < 10)
        {
            list.Add(value);
        }
    }
}

public sealed record CampaignTextMeasure(int Bytes, IReadOnlyList<string> Unencodable)
{
    public string UnencodableText => string.Join(", ", Unencodable.Select(c => c.ToString(CultureInfo.InvariantCulture)));
}
