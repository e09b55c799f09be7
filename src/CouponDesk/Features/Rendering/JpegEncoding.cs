using SkiaSharp;

namespace CouponDesk.Features.Rendering;

/// <summary>
/// Baseline JPEG, 4:2:0, quality 90, stepped down to 85, 80, 75, 70 only when the file would exceed the gateway's
/// 300 KB (read as 300,000 bytes, spec §6.3); still too large is an error, never a file the gateway would refuse.
/// </summary>
public static class JpegEncoding
{
    public const int MaxBytes = 300_000;
    public static readonly int[] Qualities = [90, 85, 80, 75, 70];

    public static SKJpegEncoderOptions Options(int quality) =>
        new(quality, SKJpegEncoderDownsample.Downsample420, SKJpegEncoderAlphaOption.Ignore);

    public static byte[] Encode(SKPixmap pixels, int quality)
    {
        using var data = pixels.Encode(Options(quality)) ?? throw new InvalidOperationException("JPEG encoding failed");
        return data.ToArray();
    }

    /// <summary>The first quality of the step-down list (starting after <paramref name="skipAbove"/>) whose file fits.</summary>
    public static RenderedCoupon EncodeWithinLimit(SKPixmap pixels, int skipAbove = int.MaxValue)
    {
        foreach (var quality in Qualities)
        {
            if (quality > skipAbove)
            {
                continue;
            }

            var bytes = Encode(pixels, quality);
            if (bytes.Length <= MaxBytes)
            {
                return new RenderedCoupon(bytes, quality, pixels.Width, pixels.Height);
            }
        }

        throw new CouponRenderException(
            CouponRenderException.FileTooLarge, "image", "이미지 용량이 300KB를 넘습니다. 더 단순한 배너나 상품 이미지를 사용해 주세요.");
    }
}

/// <summary>A coupon image: the JPEG file and how it was made.</summary>
public sealed record RenderedCoupon(byte[] Jpeg, int Quality, int Width, int Height);
