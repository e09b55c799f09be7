using System.Globalization;
using System.Text;

namespace CouponDesk.Features.Campaigns;

/// <summary>
/// Strict EUC-KR (KS X 1001, code page 51949) byte counting for MMS text (spec §0.3, snap-agent.md §9.1): characters it
/// cannot encode — emoji, CP949-only syllables such as 똠, most other scripts, control characters — are named, never
/// replaced. MERGE NOTE: issue 5 adds a shared validator in CouponDesk.Shared/Text; switch to it at merge and delete this.
/// </summary>
public static class EucKrText
{
    private static readonly Lazy<Encoding> Strict = new(() =>
        Encoding.GetEncoding(51949, EncoderFallback.ExceptionFallback, DecoderFallback.ExceptionFallback));

    /// <summary>Line breaks become LF (spec §0.3: normalised to LF, 1 byte).</summary>
    public static string NormalizeLineBreaks(string text) => text.Replace("\r\n", "\n", StringComparison.Ordinal).Replace('\r', '\n');

    public static EucKrMeasure Measure(string text)
    {
        var bad = new List<string>();
        var bytes = 0;
        foreach (var rune in text.EnumerateRunes())
        {
            if (Rune.IsControl(rune) && rune.Value != '\n')
            {
                AddOnce(bad, $"U+{rune.Value:X4}");
                continue;
            }

            var s = rune.ToString();
            try
            {
                bytes += Strict.Value.GetByteCount(s);
            }
            catch (EncoderFallbackException)
            {
                AddOnce(bad, s);
            }
        }

        return new EucKrMeasure(bytes, bad);
    }

    private static void AddOnce(List<string> list, string value)
    {
        if (!list.Contains(value, StringComparer.Ordinal) && list.Count < 10)
        {
            list.Add(value);
        }
    }
}

public sealed record EucKrMeasure(int Bytes, IReadOnlyList<string> Unencodable)
{
    public string UnencodableText => string.Join(", ", Unencodable.Select(c => c.ToString(CultureInfo.InvariantCulture)));
}
