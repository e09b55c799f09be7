using CouponDesk.Features.Rendering;
using CouponDesk.TestSupport.Rendering;

namespace CouponDesk.Bench;

/// <summary>
/// Writes sample coupons (and the preview) as JPEG files, to look at them: <c>rendering-samples [DIR] [--png]</c>;
/// <c>--png</c> also writes each JPEG decoded again as PNG, for viewers that show only PNG.
/// </summary>
public sealed class RenderingSamples : IBenchmark
{
    public string Description => "write sample coupon images (default docs/images) to look at";

    public Task<int> RunAsync(string[] args)
    {
        var directory = args.FirstOrDefault(a => !a.StartsWith("--", StringComparison.Ordinal)) ?? "docs/images";
        var png = args.Contains("--png");
        Directory.CreateDirectory(directory);
        using var fonts = CouponFonts.Load(FontDiscovery.Locate(new RenderingOptions()), out var problem) ?? throw new InvalidOperationException(problem);
        var renderer = new CouponRenderer(fonts, new RenderingOptions());
        foreach (var (name, spec, number, stamp) in Samples())
        {
            using var template = renderer.CreateTemplate(spec);
            var coupon = template.Render(number, stamp);
            File.WriteAllBytes(Path.Combine(directory, $"coupon-{name}.jpg"), coupon.Jpeg);
            if (png)
            {
                WritePng(coupon.Jpeg, Path.Combine(directory, $"coupon-{name}.png"));
            }

            Console.WriteLine($"coupon-{name}.jpg  {coupon.Width}x{coupon.Height}  {coupon.Jpeg.Length / 1000.0:F1} KB  q{coupon.Quality}");
        }

        var preview = renderer.RenderPreview(Samples()[0].Spec);
        File.WriteAllBytes(Path.Combine(directory, "coupon-preview.jpg"), preview.Jpeg);
        Console.WriteLine($"coupon-preview.jpg  {preview.Jpeg.Length / 1000.0:F1} KB");
        if (png)
        {
            WritePng(preview.Jpeg, Path.Combine(directory, "coupon-preview.png"));
        }

        return Task.FromResult(0);
    }

    private static void WritePng(byte[] jpeg, string path)
    {
        using var decoded = JpegReader.Decode(jpeg);
        using var data = decoded.Encode(SkiaSharp.SKEncodedImageFormat.Png, 100);
        File.WriteAllBytes(path, data.ToArray());
    }

    public static (string Name, CouponTemplateSpec Spec, string Number, string? Stamp)[] Samples()
    {
        var product = SampleArtwork.CoffeeProduct();
        var banner = SampleArtwork.EventBanner();
        return
        [
            ("banner-barcode", new CouponTemplateSpec("카페 아메리카노 T", "스타벅스", new DateOnly(2027, 1, 24), CouponType.Barcode, null, product, banner), "912345678901", null),
            ("amount-long-name", new CouponTemplateSpec(
                "[테스트마트] 모바일 금액권 3만원 — 전국 직영 매장에서 사용 가능하며 일부 입점 매장, 온라인몰, 주유소와 문화센터는 제외되고 잔액은 유효기간 안에 다시 사용할 수 있습니다",
                "테스트마트 전국 직영점 (일부 가맹점 제외)", new DateOnly(2027, 3, 31), CouponType.Amount, 30000, product, null),
                "9876543210987654", "인지세 납부: 서울세무서장 승인 제2026-1호"),
            ("no-image", new CouponTemplateSpec("딸기 생크림 케이크 1호", "파리바게뜨", new DateOnly(2026, 12, 31), CouponType.Barcode, null, null, null), "123456789012345678901234", null),
        ];
    }
}
