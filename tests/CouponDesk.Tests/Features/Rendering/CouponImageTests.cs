using CouponDesk.Features.Rendering;
using CouponDesk.TestSupport.Rendering;
using SkiaSharp;

namespace CouponDesk.Tests.Features.Rendering;

/// <summary>The rendered JPEG as a shop scanner and the gateway see it: the barcode reads back, sizes and limits hold.</summary>
public sealed class CouponImageTests(RendererFixture fixture) : IClassFixture<RendererFixture>
{
    private const string ShortName = "아메리카노 T";
    private const string LongName = "[스타벅스] 시즌 한정 딸기 크림 프라푸치노 그란데 사이즈와 클래식 초콜릿 칩 쿠키 세트 (매장 전용, 일부 매장 제외) 모바일 교환권";

    private static readonly byte[] Product = SampleArtwork.CoffeeProduct();
    private static readonly byte[] Banner = SampleArtwork.EventBanner();

    public static TheoryData<CouponType, bool, bool, bool> Variants()
    {
        var data = new TheoryData<CouponType, bool, bool, bool>();
        foreach (var type in new[] { CouponType.Barcode, CouponType.Amount })
        {
            foreach (var banner in new[] { true, false })
            {
                foreach (var longName in new[] { true, false })
                {
                    foreach (var spliced in new[] { true, false })
                    {
                        data.Add(type, banner, longName, spliced);
                    }
                }
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Variants))]
    public void The_barcode_reads_back_from_the_jpeg(CouponType type, bool withBanner, bool longName, bool spliced)
    {
        using var template = fixture.Renderer.CreateTemplate(Spec(type, withBanner, longName ? LongName : ShortName), spliced);
        Assert.Equal(spliced, template.IsSpliced);

        foreach (var number in new[] { "912345678901", "1234567890123456", "AB12-cd34_ef56" })
        {
            var coupon = template.Render(number);

            Assert.Equal(number, JpegReader.ReadBarcode(coupon.Jpeg));
            // Phones scale the image to their screen, down or up: it must still scan.
            Assert.Equal(number, JpegReader.ReadBarcode(coupon.Jpeg, scale: 0.75f));
            Assert.Equal(number, JpegReader.ReadBarcode(coupon.Jpeg, scale: 1.5f));
            AssertGatewayAccepts(coupon.Jpeg, withBanner ? 1080 : 840);
        }
    }

    [Fact]
    public void The_longest_numeric_number_fits_and_reads_back_with_a_stamp_duty_line()
    {
        using var template = fixture.Renderer.CreateTemplate(Spec(CouponType.Barcode, true, ShortName));
        var number = "123456789012345678901234567890";

        var coupon = template.Render(number, "인지세 납부: 서울세무서장 승인 제2026-1호");

        Assert.Equal(number, JpegReader.ReadBarcode(coupon.Jpeg));
        AssertGatewayAccepts(coupon.Jpeg, 1080);
    }

    [Theory]
    [InlineData(true, "인지세 문구")]
    [InlineData(true, null)]
    [InlineData(false, "인지세 납부: 서울세무서장 승인 제2026-1호")]
    [InlineData(false, null)]
    public void Spliced_rows_decode_to_exactly_the_pixels_of_a_whole_image_encode(bool withBanner, string? stamp)
    {
        var spec = Spec(CouponType.Amount, withBanner, LongName);
        using var spliced = fixture.Renderer.CreateTemplate(spec, spliceEncodedRows: true);
        using var whole = fixture.Renderer.CreateTemplate(spec, spliceEncodedRows: false);
        Assert.True(spliced.IsSpliced);

        var a = spliced.Render("123456789012345678901234567890", stamp);
        var b = whole.Render("123456789012345678901234567890", stamp);

        Assert.NotEqual(a.Jpeg, b.Jpeg); // restart markers make a different file…
        Assert.True(a.Jpeg.AsSpan().IndexOf((ReadOnlySpan<byte>)[0xFF, 0xDD]) > 0); // …with a DRI segment…
        using var pixelsA = JpegReader.Decode(a.Jpeg);
        using var pixelsB = JpegReader.Decode(b.Jpeg);
        Assert.True(pixelsA.Bytes.AsSpan().SequenceEqual(pixelsB.Bytes)); // …and the very same picture.
    }

    [Fact]
    public void Each_coupon_gets_its_own_number_when_rendered_on_many_threads()
    {
        using var template = fixture.Renderer.CreateTemplate(Spec(CouponType.Barcode, true, ShortName));
        var numbers = Enumerable.Range(0, 48).Select(i => $"9{i:D11}").ToArray();

        var rendered = new byte[numbers.Length][];
        Parallel.For(0, numbers.Length, new ParallelOptions { MaxDegreeOfParallelism = 8 }, i => rendered[i] = template.Render(numbers[i]).Jpeg);

        for (var i = 0; i < numbers.Length; i++)
        {
            Assert.Equal(numbers[i], JpegReader.ReadBarcode(rendered[i]));
        }
    }

    [Fact]
    public void Busy_photos_step_the_quality_down_until_the_file_fits_300_kb()
    {
        var spec = Spec(CouponType.Barcode, true, ShortName) with
        {
            ProductImage = SampleArtwork.Noise(700, 280, seed: 2),
            BannerImage = SampleArtwork.Noise(720, 240, seed: 3),
        };
        using var template = fixture.Renderer.CreateTemplate(spec);

        var coupon = template.Render("912345678901");

        Assert.True(coupon.Quality < 90, $"quality {coupon.Quality}");
        Assert.Equal("912345678901", JpegReader.ReadBarcode(coupon.Jpeg));
        AssertGatewayAccepts(coupon.Jpeg, 1080);
    }

    [Fact]
    public void Without_a_product_image_the_placeholder_is_drawn()
    {
        using var template = fixture.Renderer.CreateTemplate(Spec(CouponType.Barcode, false, ShortName) with { ProductImage = null });

        var coupon = template.Render("912345678901");

        using var pixels = JpegReader.Decode(coupon.Jpeg);
        var centre = pixels.GetPixel(360, 150);
        Assert.InRange(centre.Red, 150, 230); // grey box, not white
        Assert.Equal("912345678901", JpegReader.ReadBarcode(coupon.Jpeg));
    }

    [Theory]
    [InlineData("")]
    [InlineData("1234 5678")]
    [InlineData("1234567890123456789012345678901")]
    [InlineData("쿠폰번호")]
    public void Numbers_that_cannot_be_a_coupon_barcode_are_refused(string number)
    {
        using var template = fixture.Renderer.CreateTemplate(Spec(CouponType.Barcode, false, ShortName));

        var error = Assert.Throws<CouponRenderException>(() => template.Render(number));
        Assert.Equal(CouponRenderException.InvalidCouponNumber, error.Code);
        Assert.Equal("쿠폰번호 형식이 올바르지 않습니다. (영문·숫자·기호 30자 이내)", error.Message); // never echoes the number
    }

    [Fact]
    public void A_number_too_long_for_2_px_modules_is_a_render_failure_named_as_the_spec_says()
    {
        using var template = fixture.Renderer.CreateTemplate(Spec(CouponType.Barcode, false, ShortName));

        var error = Assert.Throws<CouponRenderException>(() => template.Render("ABCDEFGHIJKLMNOPQRSTUVWXYZabcd"));

        Assert.Equal(CouponRenderException.BarcodeTooLong, error.Code);
        Assert.Equal("바코드 길이 초과", error.Message);
    }

    [Fact]
    public void A_stamp_duty_text_the_font_cannot_draw_fails_instead_of_drawing_tofu()
    {
        using var template = fixture.Renderer.CreateTemplate(Spec(CouponType.Barcode, false, ShortName));

        var error = Assert.Throws<CouponRenderException>(() => template.Render("912345678901", "인지세 \U0001F600"));

        Assert.Equal(CouponRenderException.MissingGlyphs, error.Code);
        Assert.Contains("\U0001F600", error.Message);
    }

    [Fact]
    public void The_preview_is_the_real_layout_with_the_sample_number()
    {
        var preview = fixture.Renderer.RenderPreview(Spec(CouponType.Amount, true, LongName));

        Assert.Equal(CouponText.PreviewNumber, JpegReader.ReadBarcode(preview.Jpeg));
        AssertGatewayAccepts(preview.Jpeg, 1080);
    }

    internal static CouponTemplateSpec Spec(CouponType type, bool withBanner, string name) => new(
        name,
        "스타벅스",
        new DateOnly(2027, 1, 24),
        type,
        type == CouponType.Amount ? 30000 : null,
        Product,
        withBanner ? Banner : null);

    /// <summary>What the SNAP gateway (and its stand-in) checks: a baseline JPEG, ≤ 300,000 bytes, ≤ 1500 × 1420 px.</summary>
    private static void AssertGatewayAccepts(byte[] jpeg, int expectedHeight)
    {
        Assert.InRange(jpeg.Length, 1, JpegEncoding.MaxBytes);
        Assert.Equal(new byte[] { 0xFF, 0xD8 }, jpeg[..2]);
        using var codec = SKCodec.Create(new MemoryStream(jpeg));
        Assert.Equal(SKEncodedImageFormat.Jpeg, codec.EncodedFormat);
        Assert.Equal(720, codec.Info.Width);
        Assert.Equal(expectedHeight, codec.Info.Height);
        Assert.True(codec.Info.Width <= CouponLayout.MaxGatewayWidth && codec.Info.Height <= CouponLayout.MaxGatewayHeight);
        Assert.True(jpeg.AsSpan().IndexOf((ReadOnlySpan<byte>)[0xFF, 0xC0]) > 0); // SOF0: baseline…
        Assert.True(jpeg.AsSpan().IndexOf((ReadOnlySpan<byte>)[0xFF, 0xC2]) < 0); // …not progressive
    }
}
