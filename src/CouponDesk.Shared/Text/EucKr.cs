using System.Buffers;
using System.Globalization;
using System.Text;

namespace CouponDesk.Shared.Text;

/// <summary>
/// Strict EUC-KR (code page 51949), the character set Korean carriers use for MMS text. The gateway's limits are in
/// EUC-KR bytes (Hangul 2, ASCII 1), and characters outside EUC-KR (emoji, CP949-only syllables, many symbols) break or
/// fail at the gateway, so both the back office and the agent stand-in measure text with this one class.
/// CP949 (code page 949) is a superset and must not be used here: it would accept syllables the carriers cannot carry.
/// </summary>
public static class EucKr
{
    public const int CodePage = 51949;

    private static readonly Lazy<Encoding> StrictEncoding = new(() =>
    {
        KoreanEncoding.Register(); // here too, so no caller can forget it
        return Encoding.GetEncoding(CodePage, EncoderFallback.ExceptionFallback, DecoderFallback.ExceptionFallback);
    });

    public static Encoding Strict => StrictEncoding.Value;

    /// <summary>
    /// Where .NET's 51949 table differs from the EUC-KR the carriers and the agent use (docs/decisions.md D-UI-6):
    /// .NET writes U+B2D6 '닖' as 0xB4D3, which every other table reads as U+B2D2 '닒' (so '닖' would arrive as '닒'
    /// and '닒' would be refused), and it writes six private-use code points as single bytes no handset can show.
    /// </summary>
    private const char DotNetOnlySyllable = '\uB2D6';
    private const char StandardSyllable = '\uB2D2';
    private static readonly SearchValues<char> DotNetOddities = SearchValues.Create("\uB2D2\uB2D6\uF8E6\uF8E7\uF8E8\uF8E9\uF8EA\uF8EB");

    /// <summary>Byte count in EUC-KR and the characters EUC-KR cannot encode (each named once, in order of appearance).</summary>
    public static EucKrMeasure Measure(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (text.AsSpan().ContainsAny(DotNetOddities))
        {
            return MeasureSlowly(text);
        }

        try
        {
            return new EucKrMeasure(Strict.GetByteCount(text), []);
        }
        catch (EncoderFallbackException)
        {
            return MeasureSlowly(text);
        }
    }

    /// <summary>How a character is named in an error: the character itself and its code point, e.g. <c>'😀' (U+1F600)</c>.</summary>
    public static string Describe(Rune rune) =>
        string.Create(CultureInfo.InvariantCulture, $"'{rune}' (U+{rune.Value:X4})");

    private static EucKrMeasure MeasureSlowly(string text)
    {
        var bytes = 0;
        var bad = new List<Rune>();
        Span<char> buffer = stackalloc char[2];
        foreach (var rune in text.EnumerateRunes())
        {
            if (rune.Value == StandardSyllable)
            {
                bytes += 2;
                continue;
            }

            if (rune.Value == DotNetOnlySyllable || rune.Value is >= 0xF8E6 and <= 0xF8EB)
            {
                AddOnce(bad, rune);
                continue;
            }

            var length = rune.EncodeToUtf16(buffer);
            try
            {
                bytes += Strict.GetByteCount(buffer[..length]);
            }
            catch (EncoderFallbackException)
            {
                AddOnce(bad, rune);
            }
        }

        return new EucKrMeasure(bytes, bad);
    }

    private static void AddOnce(List<Rune> bad, Rune rune)
    {
        if (!bad.Contains(rune))
        {
            bad.Add(rune);
        }
    }
}

/// <summary>
/// The result of <see cref="EucKr.Measure"/>. <see cref="ByteCount"/> counts only the encodable characters when
/// <see cref="Unencodable"/> is not empty.
/// </summary>
public sealed record EucKrMeasure(int ByteCount, IReadOnlyList<Rune> Unencodable)
{
    public bool IsEncodable => Unencodable.Count == 0;

    /// <summary>The unencodable characters for an error message, e.g. <c>'😀' (U+1F600), '★' (U+2605)</c>.</summary>
    public string DescribeUnencodable() => string.Join(", ", Unencodable.Select(EucKr.Describe));
}
