using System.Security.Cryptography;
using System.Text;
using CouponDesk.Web.Errors;
using SkiaSharp;

namespace CouponDesk.Features.Campaigns.Banners;

/// <summary>
/// Banner upload (spec §3.2.1 field 16): recognised by content (JPEG, PNG, GIF first frame), never by name; refused when
/// it carries data after the image's end (a polyglot) or markup, when its declared dimensions are beyond the limits
/// (a decompression bomb is refused from its header, before any pixel is decoded), when it is truncated or too small.
/// The accepted image is decoded and re-encoded as a plain JPEG, so no metadata (EXIF, GPS, comments) survives.
/// </summary>
public sealed class BannerImageProcessor(CampaignOptions options)
{
    public const int MinWidth = 360;
    public const int MinHeight = 120;
    public const int MaxStoredWidth = 1440;

    private static readonly string[] MarkupMarkers = ["<script", "<html", "<?php", "<svg", "<iframe", "<body", "<!doctype"];

    public ProcessedBanner Process(byte[] data)
    {
        if (data.Length == 0)
        {
            throw Refuse("banner_empty", "업로드된 파일이 비어 있습니다.");
        }

        if (data.Length > options.MaxBannerBytes)
        {
            throw new BannerRefusedException(new ApiProblem(StatusCodes.Status413PayloadTooLarge, "banner_too_large", "Payload too large", SizeMessage));
        }

        var format = Sniff(data) ?? throw Refuse("banner_not_image", "이미지 파일만 업로드할 수 있습니다.");
        using var codec = SKCodec.Create(new SKMemoryStream(data)) ?? throw Refuse("banner_unreadable", "이미지를 읽을 수 없습니다. 파일이 손상되었는지 확인하세요.");
        var (width, height) = (codec.Info.Width, codec.Info.Height);
        if (width > options.MaxBannerSide || height > options.MaxBannerSide || (long)width * height > options.MaxBannerPixels)
        {
            throw Refuse("banner_too_many_pixels", $"이미지 크기가 너무 큽니다. 가로·세로 {options.MaxBannerSide:N0}픽셀 이하로 줄여서 업로드하세요. (권장 720×240)");
        }

        if (width < MinWidth || height < MinHeight)
        {
            throw Refuse("banner_too_small", $"배너 이미지는 최소 {MinWidth}×{MinHeight} 픽셀 이상이어야 합니다. (권장 720×240)");
        }

        using var decoded = new SKBitmap(new SKImageInfo(width, height, SKColorType.Rgba8888, SKAlphaType.Premul));
        var result = codec.GetPixels(decoded.Info, decoded.GetPixels());
        if (result != SKCodecResult.Success)
        {
            // IncompleteInput = truncated file; anything else = corrupt.
            throw Refuse("banner_unreadable", "이미지를 끝까지 읽을 수 없습니다. 파일이 잘렸거나 손상되었는지 확인하세요.");
        }

        if (HasTrailingData(format, data) || ContainsMarkup(data))
        {
            throw Refuse("banner_polyglot", "이미지 파일에 이미지가 아닌 데이터가 포함되어 있습니다. 이미지 편집 프로그램에서 다시 저장한 뒤 업로드하세요.");
        }

        return Encode(decoded);
    }

    public string SizeMessage => $"배너 이미지는 {options.MaxBannerBytes / (1024 * 1024)}MB 이하의 JPG, PNG, GIF 파일만 가능합니다.";

    private static ProcessedBanner Encode(SKBitmap decoded)
    {
        var width = Math.Min(decoded.Width, MaxStoredWidth);
        var height = (int)Math.Round(decoded.Height * (double)width / decoded.Width);
        using var surface = SKSurface.Create(new SKImageInfo(width, height, SKColorType.Rgba8888, SKAlphaType.Premul));
        var canvas = surface.Canvas;
        // Transparent PNG/GIF areas become white: a JPEG has no alpha and the coupon background is white.
        canvas.Clear(SKColors.White);
        using var image = SKImage.FromBitmap(decoded);
        canvas.DrawImage(image, new SKRect(0, 0, width, height), new SKSamplingOptions(SKFilterMode.Linear, SKMipmapMode.Linear));
        using var snapshot = surface.Snapshot();
        using var jpeg = snapshot.Encode(SKEncodedImageFormat.Jpeg, 90);
        var bytes = jpeg.ToArray();
        return new ProcessedBanner(bytes, width, height, SHA256.HashData(bytes));
    }

    private static SKEncodedImageFormat? Sniff(byte[] data)
    {
        ReadOnlySpan<byte> d = data;
        if (d.StartsWith((ReadOnlySpan<byte>)[0xFF, 0xD8, 0xFF]))
        {
            return SKEncodedImageFormat.Jpeg;
        }

        if (d.StartsWith((ReadOnlySpan<byte>)[0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]))
        {
            return SKEncodedImageFormat.Png;
        }

        return d.StartsWith("GIF87a"u8) || d.StartsWith("GIF89a"u8) ? SKEncodedImageFormat.Gif : null;
    }

    /// <summary>
    /// Bytes after the format's end marker are how polyglots (an image that is also a zip, HTML or script) are built.
    /// A few padding zeros after a JPEG's EOI are tolerated; a file without its end marker is truncated.
    /// </summary>
    private static bool HasTrailingData(SKEncodedImageFormat format, byte[] data)
    {
        ReadOnlySpan<byte> d = data;
        switch (format)
        {
            case SKEncodedImageFormat.Jpeg:
                var end = d.TrimEnd((byte)0);
                return !end.EndsWith((ReadOnlySpan<byte>)[0xFF, 0xD9]) || d.Length - end.Length > 64;
            case SKEncodedImageFormat.Png:
                return !d.EndsWith((ReadOnlySpan<byte>)[0x49, 0x45, 0x4E, 0x44, 0xAE, 0x42, 0x60, 0x82]);
            default:
                return !d.EndsWith((ReadOnlySpan<byte>)[0x3B]);
        }
    }

    private static bool ContainsMarkup(byte[] data)
    {
        // Latin-1 keeps every byte as one char, so the search sees the raw bytes.
        var text = Encoding.Latin1.GetString(data);
        return MarkupMarkers.Any(marker => text.Contains(marker, StringComparison.OrdinalIgnoreCase));
    }

    private static BannerRefusedException Refuse(string code, string detail) =>
        new(new ApiProblem(StatusCodes.Status400BadRequest, code, "Banner refused", detail));
}

public sealed record ProcessedBanner(byte[] Content, int Width, int Height, byte[] Sha256);

public sealed class BannerRefusedException(ApiProblem problem) : Exception(problem.Detail)
{
    public ApiProblem Problem { get; } = problem;
}
