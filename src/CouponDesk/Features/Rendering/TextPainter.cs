using SkiaSharp;

namespace CouponDesk.Features.Rendering;

/// <summary>Centred multi-line text inside a rectangle; fonts are created per call from the shared faces.</summary>
public static class TextPainter
{
    /// <summary>Line height as a multiple of the font size.</summary>
    public const float LineSpacing = 1.3f;

    /// <summary>
    /// Where the visual middle of Hangul sits above the baseline, as a fraction of the size (the ideographic em box
    /// runs from −0.12 em to 0.88 em): centring on it looks centred whatever the font's ascent and descent say.
    /// </summary>
    private const float VisualMiddle = 0.38f;

    public static SKFont CreateFont(SKTypeface face, float size) => new(face, size)
    {
        Edging = SKFontEdging.Antialias,
        Subpixel = true,
        Hinting = SKFontHinting.Slight,
    };

    /// <summary>Draws a block of lines, each centred horizontally, the block centred vertically in <paramref name="box"/>.</summary>
    public static void DrawCentred(SKCanvas canvas, IReadOnlyList<Line> lines, SKRect box)
    {
        var total = lines.Sum(line => line.Font.Size * LineSpacing);
        var top = box.Top + ((box.Height - total) / 2);
        foreach (var line in lines)
        {
            var lineHeight = line.Font.Size * LineSpacing;
            var baseline = top + (lineHeight / 2) + (line.Font.Size * VisualMiddle);
            canvas.DrawText(line.Text, box.MidX, baseline, SKTextAlign.Center, line.Font, line.Paint);
            top += lineHeight;
        }
    }

    public sealed record Line(string Text, SKFont Font, SKPaint Paint);
}
