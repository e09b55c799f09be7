using SkiaSharp;

namespace CouponDesk.Features.Rendering;

/// <summary>
/// The coupon canvas and its bands (spec §6.1): 720 px wide; banner 240 (optional), product 300, name 120, barcode 240,
/// info 180, so 1080 px with a banner and 840 without. Both are inside the gateway's 1500 × 1420 limit.
/// </summary>
public sealed class CouponLayout
{
    public const int Width = 720;
    public const int BannerHeight = 240;
    public const int ProductHeight = 300;
    public const int NameHeight = 120;
    public const int BarcodeHeight = 240;
    public const int InfoHeight = 180;

    /// <summary>The gateway's pixel limit (snap-agent.md §9.2).</summary>
    public const int MaxGatewayWidth = 1500;
    public const int MaxGatewayHeight = 1420;

    private CouponLayout(bool withBanner)
    {
        var top = 0;
        Banner = withBanner ? Band(ref top, BannerHeight) : SKRectI.Empty;
        Product = Band(ref top, ProductHeight);
        Name = Band(ref top, NameHeight);
        Barcode = Band(ref top, BarcodeHeight);
        Info = Band(ref top, InfoHeight);
        Height = top;
    }

    public static CouponLayout WithBanner { get; } = new(true);

    public static CouponLayout WithoutBanner { get; } = new(false);

    public static CouponLayout For(bool withBanner) => withBanner ? WithBanner : WithoutBanner;

    public int Height { get; }

    public bool HasBanner => !Banner.IsEmpty;

    public SKRectI Banner { get; }

    public SKRectI Product { get; }

    public SKRectI Name { get; }

    public SKRectI Barcode { get; }

    public SKRectI Info { get; }

    private static SKRectI Band(ref int top, int height)
    {
        var band = new SKRectI(0, top, Width, top + height);
        top += height;
        return band;
    }
}
