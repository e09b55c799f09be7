using SkiaSharp;

namespace CouponDesk.TestSupport.Rendering;

/// <summary>
/// Product and banner images for tests, benchmarks and the README samples, drawn here so no third-party artwork is
/// needed: a coffee cup "product shot" with soft gradients and a banner with a photo-like gradient and shapes.
/// </summary>
public static class SampleArtwork
{
    /// <summary>A 600 × 600 product photo stand-in (JPEG).</summary>
    public static byte[] CoffeeProduct() => Draw(600, 600, SKEncodedImageFormat.Jpeg, canvas =>
    {
        using var background = new SKPaint
        {
            Shader = SKShader.CreateRadialGradient(new SKPoint(300, 260), 420, [new SKColor(0xFA, 0xF6, 0xF0), new SKColor(0xE8, 0xDC, 0xCB)], SKShaderTileMode.Clamp),
        };
        canvas.DrawRect(0, 0, 600, 600, background);
        using var shadow = new SKPaint { Color = new SKColor(0, 0, 0, 40), IsAntialias = true, MaskFilter = SKMaskFilter.CreateBlur(SKBlurStyle.Normal, 12) };
        canvas.DrawOval(new SKRect(150, 480, 450, 540), shadow);
        using var cup = new SKPaint
        {
            IsAntialias = true,
            Shader = SKShader.CreateLinearGradient(new SKPoint(160, 0), new SKPoint(440, 0), [new SKColor(0xFF, 0xFF, 0xFF), new SKColor(0xD8, 0xD2, 0xCA)], SKShaderTileMode.Clamp),
        };
        using var path = new SKPath();
        path.MoveTo(160, 180);
        path.LineTo(440, 180);
        path.LineTo(405, 500);
        path.LineTo(195, 500);
        path.Close();
        canvas.DrawPath(path, cup);
        using var sleeve = new SKPaint { Color = new SKColor(0x6B, 0x3E, 0x26), IsAntialias = true };
        using var sleevePath = new SKPath();
        sleevePath.MoveTo(175, 290);
        sleevePath.LineTo(425, 290);
        sleevePath.LineTo(412, 400);
        sleevePath.LineTo(188, 400);
        sleevePath.Close();
        canvas.DrawPath(sleevePath, sleeve);
        using var lid = new SKPaint { Color = new SKColor(0x3A, 0x2A, 0x20), IsAntialias = true };
        canvas.DrawRoundRect(new SKRect(145, 150, 455, 190), 14, 14, lid);
        canvas.DrawRoundRect(new SKRect(185, 120, 415, 160), 18, 18, lid);
        using var logo = new SKPaint { Color = new SKColor(0xF3, 0xE9, 0xDC), IsAntialias = true, Style = SKPaintStyle.Stroke, StrokeWidth = 6 };
        canvas.DrawCircle(300, 345, 32, logo);
    });

    /// <summary>A 1200 × 400 banner (PNG) with a sunset-like gradient and confetti.</summary>
    public static byte[] EventBanner() => Draw(1200, 400, SKEncodedImageFormat.Png, canvas =>
    {
        using var sky = new SKPaint
        {
            Shader = SKShader.CreateLinearGradient(new SKPoint(0, 0), new SKPoint(1200, 400),
                [new SKColor(0xFF, 0x7E, 0x5F), new SKColor(0xFE, 0xB4, 0x7B), new SKColor(0x86, 0x5F, 0xD8)], SKShaderTileMode.Clamp),
        };
        canvas.DrawRect(0, 0, 1200, 400, sky);
        var random = new Random(7);
        using var confetti = new SKPaint { IsAntialias = true };
        for (var i = 0; i < 120; i++)
        {
            confetti.Color = new SKColor((byte)random.Next(180, 256), (byte)random.Next(120, 256), (byte)random.Next(80, 256), 200);
            canvas.DrawCircle(random.Next(0, 1200), random.Next(0, 400), random.Next(4, 14), confetti);
        }

        using var ribbon = new SKPaint { Color = new SKColor(255, 255, 255, 230), IsAntialias = true };
        canvas.DrawRoundRect(new SKRect(300, 140, 900, 260), 60, 60, ribbon);
        using var star = new SKPaint { Color = new SKColor(0xFF, 0x7E, 0x5F), IsAntialias = true };
        for (var i = 0; i < 5; i++)
        {
            canvas.DrawCircle(400 + (i * 100), 200, 22, star);
        }
    });

    /// <summary>Random pixels: the worst case for JPEG size, to exercise the 300 KB step-down.</summary>
    public static byte[] Noise(int width, int height, int seed = 1) => Draw(width, height, SKEncodedImageFormat.Png, canvas =>
    {
        var random = new Random(seed);
        using var paint = new SKPaint();
        for (var y = 0; y < height; y += 2)
        {
            for (var x = 0; x < width; x += 2)
            {
                paint.Color = new SKColor((byte)random.Next(256), (byte)random.Next(256), (byte)random.Next(256));
                canvas.DrawRect(x, y, 2, 2, paint);
            }
        }
    });

    public static byte[] Draw(int width, int height, SKEncodedImageFormat format, Action<SKCanvas> draw)
    {
        using var bitmap = new SKBitmap(new SKImageInfo(width, height, SKColorType.Rgba8888, SKAlphaType.Premul));
        using (var canvas = new SKCanvas(bitmap))
        {
            canvas.Clear(SKColors.White);
            draw(canvas);
        }

        using var data = bitmap.Encode(format, 92);
        return data.ToArray();
    }
}
