using SkiaSharp;

namespace CouponDesk.Features.Rendering;

/// <summary>The preview's diagonal "미리보기", so a screenshot of a preview can never pass for a coupon.</summary>
internal static class PreviewWatermark
{
    public static void Draw(SKCanvas canvas, CouponFonts fonts, CouponLayout layout)
    {
        using var font = TextPainter.CreateFont(fonts.Bold, 120);
        using var paint = new SKPaint { Color = new SKColor(0xE0, 0x30, 0x30, 0x55), IsAntialias = true };
        canvas.Save();
        canvas.Translate(CouponLayout.Width / 2f, layout.Height / 2f);
        canvas.RotateDegrees(-30);
        canvas.DrawText(CouponText.PreviewWatermark, 0, 42, SKTextAlign.Center, font, paint);
        canvas.Restore();
    }
}
