using SkiaSharp;
using ZXing;
using ZXing.Common;

namespace CouponDesk.TestSupport.Rendering;

/// <summary>Reads a rendered coupon back the way a shop scanner would: decoded pixels in, Code 128 text out.</summary>
public static class JpegReader
{
    public static SKBitmap Decode(byte[] jpeg) => SKBitmap.Decode(jpeg) ?? throw new InvalidOperationException("not a decodable image");

    /// <summary>The Code 128 text found in the pixels (optionally after scaling, as a phone shows the image), or null.</summary>
    public static string? ReadBarcode(byte[] jpeg, float scale = 1f)
    {
        using var decoded = Decode(jpeg);
        using var image = SKImage.FromBitmap(decoded);
        using var rgba = new SKBitmap(new SKImageInfo((int)(decoded.Width * scale), (int)(decoded.Height * scale), SKColorType.Rgba8888, SKAlphaType.Premul));
        using (var canvas = new SKCanvas(rgba))
        {
            canvas.DrawImage(image, new SKRect(0, 0, rgba.Width, rgba.Height), new SKSamplingOptions(SKCubicResampler.Mitchell));
        }

        var source = new RGBLuminanceSource(rgba.Bytes, rgba.Width, rgba.Height, RGBLuminanceSource.BitmapFormat.RGBA32);
        var reader = new BarcodeReaderGeneric
        {
            AutoRotate = false,
            Options = new DecodingOptions { PossibleFormats = [BarcodeFormat.CODE_128], TryHarder = true },
        };
        return reader.Decode(source)?.Text;
    }
}
