using SkiaSharp;

namespace CouponDesk.Features.Rendering;

/// <summary>
/// Decodes a product or banner file defensively: only JPEG, PNG, GIF (first frame) and WebP, dimensions read from the
/// header before any pixel memory is allocated, so a small file claiming 50,000 × 50,000 pixels is refused, not decoded.
/// </summary>
public static class SourceImageDecoder
{
    public const int MaxSide = 8000;
    public const long MaxPixels = 40_000_000;

    private static readonly SKEncodedImageFormat[] Accepted =
        [SKEncodedImageFormat.Jpeg, SKEncodedImageFormat.Png, SKEncodedImageFormat.Gif, SKEncodedImageFormat.Webp];

    public static SKImage Decode(ReadOnlySpan<byte> bytes, string field, string label)
    {
        if (bytes.IsEmpty)
        {
            throw new CouponRenderException(CouponRenderException.InvalidImage, field, $"{label} 파일이 비어 있습니다.");
        }

        using var data = SKData.CreateCopy(bytes);
        using var codec = SKCodec.Create(data);
        if (codec is null || Array.IndexOf(Accepted, codec.EncodedFormat) < 0)
        {
            throw new CouponRenderException(CouponRenderException.InvalidImage, field, $"{label}는 JPG, PNG, GIF 이미지만 사용할 수 있습니다.");
        }

        var (width, height) = (codec.Info.Width, codec.Info.Height);
        if (width <= 0 || height <= 0 || width > MaxSide || height > MaxSide || (long)width * height > MaxPixels)
        {
            throw new CouponRenderException(
                CouponRenderException.ImageTooLarge, field, $"{label}의 크기가 너무 큽니다. (가로·세로 {MaxSide:N0}px 이하)");
        }

        var info = new SKImageInfo(width, height, SKColorType.Rgba8888, SKAlphaType.Premul);
        using var bitmap = new SKBitmap(info);
        var result = codec.GetPixels(info, bitmap.GetPixels());
        // A truncated file would decode its top part above grey: refused too, so the caller can fall back to another image.
        if (result != SKCodecResult.Success)
        {
            throw new CouponRenderException(CouponRenderException.InvalidImage, field, $"{label} 파일을 읽을 수 없습니다. 손상되지 않은 이미지인지 확인해 주세요.");
        }

        using var pixels = bitmap.PeekPixels();
        return SKImage.FromPixelCopy(pixels) ?? throw new CouponRenderException(CouponRenderException.InvalidImage, field, $"{label} 파일을 읽을 수 없습니다.");
    }
}
