using System.Collections.Concurrent;
using SkiaSharp;

namespace CouponDesk.Features.Rendering;

/// <summary>
/// One campaign's coupon image with everything but the barcode already drawn (and, by default, already encoded:
/// <see cref="RowSplicedJpeg"/>). <see cref="Render"/> is thread-safe: each call borrows a workspace (a band bitmap, its
/// own fonts and paints) from a pool, so the pipeline can render on every core with one template.
/// </summary>
public sealed class CouponTemplate : IDisposable
{
    private readonly CouponFonts fonts;
    private readonly SKBitmap fixedParts;
    private readonly RowSplicedJpeg? spliced;
    private readonly ConcurrentBag<Workspace> workspaces = [];
    private string? lastCheckedStamp;

    internal CouponTemplate(CouponFonts fonts, CouponLayout layout, SKBitmap fixedParts, bool splice)
    {
        this.fonts = fonts;
        this.fixedParts = fixedParts;
        Layout = layout;
        if (splice)
        {
            using var pixels = fixedParts.PeekPixels();
            var (top, bottom) = BarcodeBandPainter.ChangingRows(layout.Barcode);
            spliced = RowSplicedJpeg.Create(pixels, top, bottom, JpegEncoding.Qualities[0]);
        }
    }

    public CouponLayout Layout { get; }

    /// <summary>True when coupons are made by encoding only the barcode band's rows (D-RND-3).</summary>
    public bool IsSpliced => spliced is not null;

    /// <summary>
    /// The coupon's JPEG: ≤ 300,000 bytes and 720 × 1080 (with banner) or 720 × 840. Throws
    /// <see cref="CouponRenderException"/> for a number that cannot be a Code 128 barcode of the band (spec §6.2:
    /// "바코드 길이 초과") or a stamp-duty text the font cannot draw.
    /// </summary>
    public RenderedCoupon Render(string couponNumber, string? stampDuty = null)
    {
        var code = Code128Bars.Encode(couponNumber);
        var stamp = CheckedStamp(stampDuty);
        if (!workspaces.TryTake(out var workspace))
        {
            workspace = new Workspace(fonts, spliced is null ? Layout.Height : spliced.VariableHeight);
        }

        try
        {
            return spliced is null
                ? RenderWhole(workspace, code, couponNumber, stamp)
                : RenderSpliced(spliced, workspace, code, couponNumber, stamp);
        }
        finally
        {
            workspaces.Add(workspace);
        }
    }

    /// <summary>The preview (spec §3.2.2): a sample barcode "0000 0000 0000" and a diagonal "미리보기" over the real layout.</summary>
    internal RenderedCoupon RenderPreview()
    {
        using var workspace = new Workspace(fonts, Layout.Height);
        CopyRows(fixedParts, 0, workspace.Bitmap);
        workspace.Painter.Paint(workspace.Canvas, Layout.Barcode, Code128Bars.Encode(CouponText.PreviewNumber),
            CouponText.GroupedNumber(CouponText.PreviewNumber), stampDuty: null);
        PreviewWatermark.Draw(workspace.Canvas, fonts, Layout);
        workspace.Canvas.Flush();
        using var pixels = workspace.Bitmap.PeekPixels();
        return JpegEncoding.EncodeWithinLimit(pixels);
    }

    private RenderedCoupon RenderSpliced(RowSplicedJpeg jpeg, Workspace workspace, Code128Bars code, string number, string? stamp)
    {
        CopyRows(fixedParts, jpeg.VariableTop, workspace.Bitmap);
        workspace.Canvas.Save();
        workspace.Canvas.Translate(0, -jpeg.VariableTop);
        workspace.Painter.Paint(workspace.Canvas, Layout.Barcode, code, CouponText.GroupedNumber(number), stamp);
        workspace.Canvas.Restore();
        workspace.Canvas.Flush();
        using (var band = workspace.Bitmap.PeekPixels())
        {
            if (jpeg.Assemble(band) is { Length: <= JpegEncoding.MaxBytes } file)
            {
                return new RenderedCoupon(file, JpegEncoding.Qualities[0], CouponLayout.Width, Layout.Height);
            }
        }

        // Too large at quality 90 (busy photos) or not spliceable after all: the whole image, stepping quality down.
        using var whole = new SKBitmap(new SKImageInfo(CouponLayout.Width, Layout.Height, SKColorType.Rgba8888, SKAlphaType.Opaque));
        CopyRows(fixedParts, 0, whole);
        CopyRows(workspace.Bitmap, 0, whole, jpeg.VariableTop);
        using var pixels = whole.PeekPixels();
        return JpegEncoding.EncodeWithinLimit(pixels);
    }

    private RenderedCoupon RenderWhole(Workspace workspace, Code128Bars code, string number, string? stamp)
    {
        CopyRows(fixedParts, 0, workspace.Bitmap);
        workspace.Painter.Paint(workspace.Canvas, Layout.Barcode, code, CouponText.GroupedNumber(number), stamp);
        workspace.Canvas.Flush();
        using var pixels = workspace.Bitmap.PeekPixels();
        return JpegEncoding.EncodeWithinLimit(pixels);
    }

    /// <summary>Copies rows of <paramref name="source"/> from <paramref name="sourceTop"/> into <paramref name="target"/> at <paramref name="targetTop"/>, as many as fit.</summary>
    private static void CopyRows(SKBitmap source, int sourceTop, SKBitmap target, int targetTop = 0)
    {
        var rows = Math.Min(source.Height - sourceTop, target.Height - targetTop);
        var rowBytes = source.RowBytes;
        var from = source.GetPixelSpan().Slice(sourceTop * rowBytes, rows * rowBytes);
        from.CopyTo(target.GetPixelSpan().Slice(targetTop * target.RowBytes, rows * target.RowBytes));
    }

    private string? CheckedStamp(string? stampDuty)
    {
        var stamp = TextLayout.Normalize(stampDuty);
        if (stamp.Length == 0)
        {
            return null;
        }

        // Coupons of one campaign carry the same text: check it once, not per coupon.
        if (!string.Equals(Volatile.Read(ref lastCheckedStamp), stamp, StringComparison.Ordinal))
        {
            var missing = fonts.MissingCharacters(stamp, bold: false);
            if (missing.Count > 0)
            {
                throw new CouponRenderException(CouponRenderException.MissingGlyphs, "stampDuty", GlyphMessages.Missing("인지세 문구", missing));
            }

            Volatile.Write(ref lastCheckedStamp, stamp);
        }

        return stamp;
    }

    public void Dispose()
    {
        while (workspaces.TryTake(out var workspace))
        {
            workspace.Dispose();
        }

        fixedParts.Dispose();
    }

    /// <summary>One thread's drawing surface: a bitmap as tall as what is re-drawn per coupon, and its painter.</summary>
    private sealed class Workspace : IDisposable
    {
        public Workspace(CouponFonts fonts, int height)
        {
            Bitmap = new SKBitmap(new SKImageInfo(CouponLayout.Width, height, SKColorType.Rgba8888, SKAlphaType.Opaque));
            Canvas = new SKCanvas(Bitmap);
            Painter = new BarcodeBandPainter(fonts);
        }

        public SKBitmap Bitmap { get; }

        public SKCanvas Canvas { get; }

        public BarcodeBandPainter Painter { get; }

        public void Dispose()
        {
            Painter.Dispose();
            Canvas.Dispose();
            Bitmap.Dispose();
        }
    }
}
