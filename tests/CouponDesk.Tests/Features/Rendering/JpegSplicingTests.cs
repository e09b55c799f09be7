using CouponDesk.Features.Rendering;
using SkiaSharp;

namespace CouponDesk.Tests.Features.Rendering;

/// <summary>The direct grey-band encoder writes exactly what libjpeg's coefficients, re-coded, would be.</summary>
public sealed class JpegSplicingTests(RendererFixture fixture) : IClassFixture<RendererFixture>
{
    [Theory]
    [InlineData(90)]
    [InlineData(75)]
    public void Grey_band_rows_are_byte_identical_to_the_general_encoder_re_coded(int quality)
    {
        using var band = DrawBand(SKColors.Black);
        using var pixels = band.PeekPixels();
        var jpeg = JpegEncoding.Encode(pixels, quality);
        var source = JpegRestartTranscoder.Parse(jpeg);
        Assert.NotNull(source);

        var expected = JpegRestartTranscoder.Transcode(jpeg, source);
        var luma = source.Quantization.AsSpan(5, 64); // first DQT table: luma
        var actual = GreyBandEncoder.TryEncode(pixels, luma);

        Assert.NotNull(actual);
        Assert.Equal(expected.Length, actual.Length);
        for (var row = 0; row < expected.Length; row++)
        {
            Assert.True(expected[row].AsSpan().SequenceEqual(actual[row]), $"row {row}");
        }
    }

    [Fact]
    public void A_band_with_colour_is_left_to_the_general_encoder()
    {
        using var band = DrawBand(new SKColor(0xD6, 0x33, 0x1F));
        using var pixels = band.PeekPixels();

        Assert.Null(GreyBandEncoder.TryEncode(pixels, Enumerable.Repeat((byte)2, 64).ToArray()));
    }

    /// <summary>Bars, anti-aliased text and grey: what the barcode band holds.</summary>
    private SKBitmap DrawBand(SKColor ink)
    {
        var bitmap = new SKBitmap(new SKImageInfo(720, 224, SKColorType.Rgba8888, SKAlphaType.Opaque));
        using var canvas = new SKCanvas(bitmap);
        canvas.Clear(SKColors.White);
        using var paint = new SKPaint { Color = ink, IsAntialias = true };
        for (var x = 40; x < 680; x += 7)
        {
            canvas.DrawRect(x, 20, 3, 140, paint);
        }

        using var font = TextPainter.CreateFont(fixture.Fonts.Regular, 26);
        canvas.DrawText("1234 5678 9012 인지세", 360, 200, SKTextAlign.Center, font, paint);
        paint.Color = new SKColor(0x88, 0x88, 0x88);
        canvas.DrawText("인지세 납부", 360, 218, SKTextAlign.Center, font, paint);
        return bitmap;
    }
}
