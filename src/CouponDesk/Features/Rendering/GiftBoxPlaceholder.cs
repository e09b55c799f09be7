using SkiaSharp;

namespace CouponDesk.Features.Rendering;

/// <summary>The grey gift box drawn when a product has no usable image (spec §6.1, band 2).</summary>
internal static class GiftBoxPlaceholder
{
    public static void Draw(SKCanvas canvas, SKRectI band)
    {
        using var box = new SKPaint { Color = new SKColor(0xD9, 0xD9, 0xD9), IsAntialias = true };
        using var ribbon = new SKPaint { Color = new SKColor(0xB3, 0xB3, 0xB3), IsAntialias = true };
        var centreX = band.MidX;
        var centreY = band.MidY + 10f;
        var body = SKRect.Create(centreX - 90, centreY - 50, 180, 120);
        var lid = SKRect.Create(centreX - 105, centreY - 85, 210, 40);
        canvas.DrawRoundRect(body, 6, 6, box);
        canvas.DrawRoundRect(lid, 6, 6, box);
        canvas.DrawRect(SKRect.Create(centreX - 12, lid.Top, 24, body.Bottom - lid.Top), ribbon);
        // The bow: two loops above the lid.
        canvas.DrawOval(new SKRect(centreX - 60, lid.Top - 40, centreX - 4, lid.Top + 4), ribbon);
        canvas.DrawOval(new SKRect(centreX + 4, lid.Top - 40, centreX + 60, lid.Top + 4), ribbon);
    }
}
