using SkiaSharp;

namespace CouponDesk.Features.Rendering;

/// <summary>
/// Draws what every coupon of a campaign shares (spec §6.1): banner, product image, name, info band and the separators.
/// The barcode band is left white for <see cref="BarcodeBandPainter"/>. Runs once per campaign, so it favours quality
/// (mipmapped, cubic image scaling) over speed.
/// </summary>
internal static class FixedPartsPainter
{
    public const int ProductMargin = 10;
    public const int NameSidePadding = 20;
    public const float NameMaxSize = 30;
    public const float NameMinSize = 24;
    public const int NameMaxLines = 2;
    public const float AmountSize = 26;
    public const float InfoSize = 22;
    public const int InfoSidePadding = 20;
    public const int InfoMaxLines = 3;

    public static readonly SKColor Separator = new(0xCC, 0xCC, 0xCC);
    public static readonly SKColor InfoText = new(0x33, 0x33, 0x33);
    public static readonly SKColor NameText = new(0x11, 0x11, 0x11);
    public static readonly SKColor AmountText = new(0xD6, 0x33, 0x1F);

    private static readonly SKSamplingOptions Downscale = new(SKFilterMode.Linear, SKMipmapMode.Linear);

    public static void Paint(SKCanvas canvas, PreparedSpec spec, CouponFonts fonts)
    {
        var layout = spec.Layout;
        canvas.Clear(SKColors.White);
        if (spec.Banner is { } banner)
        {
            DrawCover(canvas, banner, layout.Banner);
        }

        if (spec.Product is { } product)
        {
            DrawFit(canvas, product, Inset(layout.Product, ProductMargin));
        }
        else
        {
            GiftBoxPlaceholder.Draw(canvas, layout.Product);
        }

        DrawName(canvas, spec, fonts, layout.Name);
        DrawInfo(canvas, spec, fonts, layout.Info);
        DrawSeparators(canvas, layout);
    }

    /// <summary>The name's lines and size: the largest size from 30 to 24 px that fits in two lines, else 24 px and "…".</summary>
    public static (IReadOnlyList<string> Lines, float Size, bool Truncated) LayoutName(string name, SKTypeface bold)
    {
        var width = CouponLayout.Width - (2 * NameSidePadding);
        for (var size = NameMaxSize; size >= NameMinSize; size--)
        {
            using var font = TextPainter.CreateFont(bold, size);
            var (lines, truncated) = TextLayout.Wrap(name, font, width, NameMaxLines);
            if (!truncated || size == NameMinSize)
            {
                return (lines, size, truncated);
            }
        }

        throw new InvalidOperationException("unreachable: the smallest size always returns");
    }

    private static void DrawName(SKCanvas canvas, PreparedSpec spec, CouponFonts fonts, SKRectI band)
    {
        var (lines, size, _) = LayoutName(spec.ProductName, fonts.Bold);
        using var nameFont = TextPainter.CreateFont(fonts.Bold, size);
        using var amountFont = TextPainter.CreateFont(fonts.Bold, AmountSize);
        using var namePaint = new SKPaint { Color = NameText, IsAntialias = true };
        using var amountPaint = new SKPaint { Color = AmountText, IsAntialias = true };
        var drawn = lines.Select(line => new TextPainter.Line(line, nameFont, namePaint)).ToList();
        if (spec.AmountLine is { } amount)
        {
            drawn.Add(new TextPainter.Line(amount, amountFont, amountPaint));
        }

        TextPainter.DrawCentred(canvas, drawn, band);
    }

    private static void DrawInfo(SKCanvas canvas, PreparedSpec spec, CouponFonts fonts, SKRectI band)
    {
        using var font = TextPainter.CreateFont(fonts.Regular, InfoSize);
        using var paint = new SKPaint { Color = InfoText, IsAntialias = true };
        var half = band.Width / 2;
        var left = new SKRect(band.Left + InfoSidePadding, band.Top, band.Left + half - InfoSidePadding, band.Bottom);
        var right = new SKRect(band.Left + half + InfoSidePadding, band.Top, band.Right - InfoSidePadding, band.Bottom);
        foreach (var (text, cell) in new[] { (spec.BrandLine, left), (spec.ValidityLine, right) })
        {
            var (lines, _) = TextLayout.Wrap(text, font, cell.Width, InfoMaxLines);
            TextPainter.DrawCentred(canvas, lines.Select(line => new TextPainter.Line(line, font, paint)).ToList(), cell);
        }
    }

    private static void DrawSeparators(SKCanvas canvas, CouponLayout layout)
    {
        using var paint = new SKPaint { Color = Separator, IsAntialias = false };
        foreach (var band in new[] { layout.Product, layout.Name, layout.Barcode, layout.Info })
        {
            if (band.Top > 0)
            {
                canvas.DrawRect(new SKRect(0, band.Top, CouponLayout.Width, band.Top + 1), paint);
            }
        }

        // The divider between the two info cells, inset so it reads as a divider rather than a frame.
        var middle = layout.Info.Left + (layout.Info.Width / 2);
        canvas.DrawRect(new SKRect(middle, layout.Info.Top + 30, middle + 1, layout.Info.Bottom - 30), paint);
    }

    /// <summary>Scales to cover the band and crops the centre (spec: "background-size: cover; center").</summary>
    private static void DrawCover(SKCanvas canvas, SKImage image, SKRectI band)
    {
        var scale = Math.Max((float)band.Width / image.Width, (float)band.Height / image.Height);
        var sourceWidth = band.Width / scale;
        var sourceHeight = band.Height / scale;
        var source = SKRect.Create((image.Width - sourceWidth) / 2, (image.Height - sourceHeight) / 2, sourceWidth, sourceHeight);
        canvas.DrawImage(image, source, band, Sampling(scale));
    }

    /// <summary>Scales to fit inside the box keeping the aspect ratio, centred; never enlarged beyond 2×, which would look soft.</summary>
    private static void DrawFit(SKCanvas canvas, SKImage image, SKRect box)
    {
        var scale = Math.Min(Math.Min(box.Width / image.Width, box.Height / image.Height), 2f);
        var width = image.Width * scale;
        var height = image.Height * scale;
        var destination = SKRect.Create(box.MidX - (width / 2), box.MidY - (height / 2), width, height);
        canvas.DrawImage(image, destination, Sampling(scale));
    }

    private static SKSamplingOptions Sampling(float scale) => scale < 1 ? Downscale : new SKSamplingOptions(SKCubicResampler.Mitchell);

    private static SKRect Inset(SKRectI band, int margin) =>
        new(band.Left + margin, band.Top + margin, band.Right - margin, band.Bottom - margin);
}
