using CouponDesk.Features.Rendering;

namespace CouponDesk.Tests.Features.Rendering;

/// <summary>A character the font cannot draw is an error at start-up or at registration, never a tofu box on a phone.</summary>
public sealed class GlyphCoverageTests(RendererFixture fixture) : IClassFixture<RendererFixture>
{
    private const string LatinOnlyFont = "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf";

    [Fact]
    public void The_found_font_is_Korean_and_draws_every_fixed_string_of_the_layout()
    {
        foreach (var text in new[] { CouponText.BrandLine("교환처"), CouponText.ValidityLine(new DateOnly(2027, 12, 31)), CouponText.AmountLine(1234567), CouponText.PreviewWatermark, TextLayout.Ellipsis })
        {
            Assert.Empty(fixture.Fonts.MissingCharacters(text, bold: false));
            Assert.Empty(fixture.Fonts.MissingCharacters(text, bold: true));
        }

        Assert.Contains("CJK KR", fixture.Fonts.Regular.FamilyName, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("productName", "아메리카노 \U0001F381 세트", "\U0001F381")]
    [InlineData("productName", "아메리카노\u200B세트", "U+200B")]
    [InlineData("productName", "아메리카노 \uE000", "\uE000")]
    [InlineData("brand", "스타벅스 \U0001F600", "\U0001F600")]
    public void Registration_validation_names_the_characters_that_cannot_be_drawn(string field, string text, string shown)
    {
        var spec = CouponImageTests.Spec(CouponType.Barcode, false, "아메리카노");
        spec = field == "productName" ? spec with { ProductName = text } : spec with { Brand = text };

        var problem = Assert.Single(fixture.Renderer.Validate(spec));

        Assert.Equal(field, problem.Field);
        Assert.Equal(CouponRenderException.MissingGlyphs, problem.Code);
        Assert.Contains(shown, problem.Message);
        var error = Assert.Throws<CouponRenderException>(() => fixture.Renderer.CreateTemplate(spec));
        Assert.Equal(CouponRenderException.MissingGlyphs, error.Code);
    }

    [Fact]
    public void Ordinary_product_names_pass_validation()
    {
        var spec = CouponImageTests.Spec(CouponType.Amount, true, "[CU] 모바일 상품권 1만원권 (편의점·GS25 제외) ※ 잔액 환불 불가 – 50% 할인");

        Assert.Empty(fixture.Renderer.Validate(spec));
    }

    [Fact]
    public void Empty_names_and_missing_amounts_are_refused()
    {
        var spec = CouponImageTests.Spec(CouponType.Amount, false, "  \t ") with { Brand = "", Amount = null };

        var problems = fixture.Renderer.Validate(spec);

        Assert.Equal(["productName", "brand", "amount"], problems.Select(p => p.Field));
    }

    [Fact]
    public void A_font_without_Hangul_stops_start_up_naming_the_key()
    {
        var options = new RenderingOptions { RegularFontFile = LatinOnlyFont, BoldFontFile = LatinOnlyFont };

        var problem = Assert.Single(options.Validate());

        Assert.StartsWith("RegularFontFile:", problem, StringComparison.Ordinal);
        Assert.Contains("Korean", problem, StringComparison.Ordinal);
    }

    [Fact]
    public void A_missing_font_file_stops_start_up_naming_the_key()
    {
        var options = new RenderingOptions { RegularFontFile = "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc", BoldFontFile = "/nonexistent/Bold.ttc" };

        var problem = Assert.Single(options.Validate());

        Assert.StartsWith("BoldFontFile:", problem, StringComparison.Ordinal);
    }

    [Fact]
    public void A_family_not_in_the_collection_stops_start_up()
    {
        var options = new RenderingOptions { FontFamily = "No Such Family" };

        Assert.Contains(options.Validate(), p => p.Contains("No Such Family", StringComparison.Ordinal));
    }

    [Fact]
    public void The_default_discovery_picks_the_Korean_face_of_the_Noto_collection()
    {
        Assert.Empty(new RenderingOptions().Validate());
        Assert.Equal("Noto Sans CJK KR", FontDiscovery.Locate(new RenderingOptions()).Family);
    }
}
