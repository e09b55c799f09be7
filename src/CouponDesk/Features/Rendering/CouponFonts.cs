using System.Globalization;
using System.Text;
using SkiaSharp;

namespace CouponDesk.Features.Rendering;

/// <summary>
/// The two Korean faces the coupon is drawn with. Immutable and thread-safe (SKTypeface is), shared by every template.
/// A character the faces cannot draw is found here, before anything is drawn, so a customer never sees a tofu box.
/// </summary>
public sealed class CouponFonts : IDisposable
{
    private CouponFonts(SKTypeface regular, SKTypeface bold)
    {
        Regular = regular;
        Bold = bold;
    }

    public SKTypeface Regular { get; }

    public SKTypeface Bold { get; }

    /// <summary>Loads and checks the faces; null and a problem ("Key: reason") when they are unusable.</summary>
    public static CouponFonts? Load(FontFiles files, out string? problem)
    {
        var regular = LoadFace(files.Regular, files.Family);
        var bold = LoadFace(files.Bold, files.Family);
        problem = (regular, bold) switch
        {
            (null, _) => $"{nameof(RenderingOptions.RegularFontFile)}: {files.Regular} holds no usable face{FamilyHint(files)}",
            (_, null) => $"{nameof(RenderingOptions.BoldFontFile)}: {files.Bold} holds no usable face{FamilyHint(files)}",
            _ => null,
        };
        if (problem is null)
        {
            var fonts = new CouponFonts(regular!, bold!);
            var missing = fonts.MissingCharacters(KoreanRepertoire, bold: false).Concat(fonts.MissingCharacters(KoreanRepertoire, bold: true)).ToList();
            if (missing.Count == 0)
            {
                return fonts;
            }

            fonts.Dispose();
            problem = $"{nameof(RenderingOptions.RegularFontFile)}: the font cannot draw {missing.Count} Korean or ASCII characters (e.g. '{missing[0]}'); use a Korean font such as Noto Sans CJK KR";
            return null;
        }

        regular?.Dispose();
        bold?.Dispose();
        return null;
    }

    /// <summary>
    /// The distinct characters of <paramref name="text"/> the face cannot draw, including control and format characters
    /// (invisible or tofu on a phone). Empty when everything can be drawn.
    /// </summary>
    public IReadOnlyList<string> MissingCharacters(string text, bool bold)
    {
        var face = bold ? Bold : Regular;
        var missing = new List<string>();
        foreach (var rune in text.EnumerateRunes())
        {
            var category = Rune.GetUnicodeCategory(rune);
            var drawable = category is not (UnicodeCategory.Control or UnicodeCategory.Format or UnicodeCategory.Surrogate
                    or UnicodeCategory.PrivateUse or UnicodeCategory.OtherNotAssigned or UnicodeCategory.LineSeparator
                    or UnicodeCategory.ParagraphSeparator)
                && face.ContainsGlyph(rune.Value);
            if (!drawable && !missing.Contains(rune.ToString()))
            {
                missing.Add(rune.ToString());
            }
        }

        return missing;
    }

    public void Dispose()
    {
        Regular.Dispose();
        Bold.Dispose();
    }

    /// <summary>Every modern Hangul syllable and printable ASCII: what any Korean product name may need at least.</summary>
    private static readonly string KoreanRepertoire = BuildRepertoire();

    private static string BuildRepertoire()
    {
        var text = new StringBuilder();
        for (var c = '가'; c <= '힣'; c++)
        {
            text.Append(c);
        }

        for (var c = ' '; c <= '~'; c++)
        {
            text.Append(c);
        }

        return text.Append('…').ToString();
    }

    private static string FamilyHint(FontFiles files) => files.Family.Length > 0 ? $" of family '{files.Family}'" : "";

    private static SKTypeface? LoadFace(string path, string family)
    {
        // A collection (.ttc) holds several faces; pick the requested family (Noto's KR face is not the first one).
        for (var index = 0; index < 64; index++)
        {
            var face = SKTypeface.FromFile(path, index);
            if (face is null)
            {
                return null;
            }

            if (family.Length == 0 || string.Equals(face.FamilyName, family, StringComparison.OrdinalIgnoreCase))
            {
                return face;
            }

            face.Dispose();
        }

        return null;
    }
}
