using System.Collections.Concurrent;
using SkiaSharp;

namespace CouponDesk.CoufunStandIn.Catalog;

/// <summary>
/// Product images the stand-in draws itself (a coloured card with the product id), served at the IMAGE_PATH_* URLs
/// with exactly the declared sizes: S 100×100, M 250×250, B 500×500.
/// </summary>
public sealed class ProductImages
{
    public static readonly IReadOnlyDictionary<char, int> Sizes = new Dictionary<char, int> { ['s'] = 100, ['m'] = 250, ['b'] = 500 };

    private readonly ConcurrentDictionary<(string, char), byte[]> cache = new();

    public byte[] Jpeg(StandInProduct product, char size) => cache.GetOrAdd((product.GoodsId, size), key => Draw(key.Item1, Sizes[key.Item2]));

    private static byte[] Draw(string goodsId, int side)
    {
        var hue = (uint)goodsId.GetHashCode(StringComparison.Ordinal) % 360;
        using var bitmap = new SKBitmap(side, side);
        using (var canvas = new SKCanvas(bitmap))
        {
            canvas.Clear(SKColor.FromHsl(hue, 55, 80));
            using var card = new SKPaint { Color = SKColor.FromHsl(hue, 60, 45), IsAntialias = true };
            canvas.DrawRoundRect(new SKRect(side * 0.1f, side * 0.1f, side * 0.9f, side * 0.9f), side * 0.08f, side * 0.08f, card);
            using var font = new SKFont(SKTypeface.Default, side / 9f);
            using var ink = new SKPaint { Color = SKColors.White, IsAntialias = true };
            canvas.DrawText(goodsId, side / 2f, side / 2f + (side / 27f), SKTextAlign.Center, font, ink);
        }

        using var image = SKImage.FromBitmap(bitmap);
        using var data = image.Encode(SKEncodedImageFormat.Jpeg, 85);
        return data.ToArray();
    }
}
