using CouponDesk.Features.Rendering;
using SkiaSharp;

namespace CouponDesk.Tests.Features.Rendering;

public sealed class TextLayoutTests(RendererFixture fixture) : IClassFixture<RendererFixture>
{
    [Fact]
    public void A_short_name_stays_on_one_line_at_the_largest_size()
    {
        var (lines, size, truncated) = FixedPartsPainter.LayoutName("아메리카노 T", fixture.Fonts.Bold);

        Assert.Equal(["아메리카노 T"], lines);
        Assert.Equal(30, size);
        Assert.False(truncated);
    }

    [Fact]
    public void A_long_name_shrinks_then_ends_in_an_ellipsis_on_the_second_line()
    {
        var name = string.Join(' ', Enumerable.Repeat("딸기 크림 프라푸치노 그란데", 8));

        var (lines, size, truncated) = FixedPartsPainter.LayoutName(name, fixture.Fonts.Bold);

        Assert.Equal(2, lines.Count);
        Assert.Equal(24, size);
        Assert.True(truncated);
        Assert.EndsWith(TextLayout.Ellipsis, lines[1], StringComparison.Ordinal);
        using var font = TextPainter.CreateFont(fixture.Fonts.Bold, size);
        Assert.All(lines, line => Assert.True(font.MeasureText(line) <= 680));
    }

    [Fact]
    public void A_word_longer_than_a_line_is_broken_between_characters()
    {
        using var font = TextPainter.CreateFont(fixture.Fonts.Regular, 22);
        var word = new string('가', 40);

        var (lines, truncated) = TextLayout.Wrap(word, font, 320, 3);

        Assert.False(truncated);
        Assert.Equal(word, string.Concat(lines));
        Assert.All(lines, line => Assert.True(font.MeasureText(line) <= 320));
    }

    [Theory]
    [InlineData("  아메리카노\t\n  T  ", "아메리카노 T")]
    [InlineData("\u1100\u1161", "가")] // decomposed jamo are composed, so the glyph check sees what is drawn
    [InlineData(null, "")]
    public void Texts_are_normalised_before_they_are_checked_and_drawn(string? text, string expected) =>
        Assert.Equal(expected, TextLayout.Normalize(text));

    [Fact]
    public void Code_128_module_width_is_the_widest_that_fits_680_px_with_quiet_zones()
    {
        Assert.Equal(4, Code128Bars.Encode("912345678901").ModuleWidth);
        var longNumeric = Code128Bars.Encode("123456789012345678901234567890");
        Assert.Equal(3, longNumeric.ModuleWidth);
        Assert.True((longNumeric.Modules.Length + 20) * longNumeric.ModuleWidth <= 680);
        Assert.Equal(2, Code128Bars.Encode("A1B2C3D4E5F6G7H8I9").ModuleWidth);
    }

    [Fact]
    public void Grouped_numbers_are_in_fours() =>
        Assert.Equal("1234 5678 9012 34", CouponText.GroupedNumber("12345678901234"));

    [Fact]
    public void Layout_sizes_match_the_spec_and_the_gateway_limit()
    {
        Assert.Equal(1080, CouponLayout.WithBanner.Height);
        Assert.Equal(840, CouponLayout.WithoutBanner.Height);
        Assert.Equal(new SKRectI(0, 660, 720, 900), CouponLayout.WithBanner.Barcode);
        Assert.True(CouponLayout.WithBanner.Height <= CouponLayout.MaxGatewayHeight && CouponLayout.Width <= CouponLayout.MaxGatewayWidth);
    }
}
