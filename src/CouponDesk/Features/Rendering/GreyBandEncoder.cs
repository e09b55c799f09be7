using SkiaSharp;

namespace CouponDesk.Features.Rendering;

/// <summary>
/// Encodes the barcode band's MCU rows directly, without a general JPEG encoder (docs/decisions.md D-RND-3). The band is
/// black, white and grey only, so every pixel has R = G = B: luma is that value and both chroma samples are exactly 128
/// (libjpeg's fixed-point conversion weights sum to 1), so chroma blocks are all zero. Luma blocks go through a port of
/// libjpeg's integer DCT (jfdctint "islow") and its rounding quantiser with the template's own table, then the standard
/// Huffman tables — the very coefficients the general encoder would produce, at a fraction of its cost. Any non-grey
/// pixel returns null and the caller uses the general encoder.
/// </summary>
internal static class GreyBandEncoder
{
    private const int ConstBits = 13;
    private const int Pass1Bits = 2;

    private static readonly int[] NaturalOrder =
    [
        0, 1, 8, 16, 9, 2, 3, 10, 17, 24, 32, 25, 18, 11, 4, 5, 12, 19, 26, 33, 40, 48, 41, 34, 27, 20, 13, 6, 7, 14, 21, 28,
        35, 42, 49, 56, 57, 50, 43, 36, 29, 22, 15, 23, 30, 37, 44, 51, 58, 59, 52, 45, 38, 31, 39, 46, 53, 60, 61, 54, 47, 55, 62, 63,
    ];

    /// <summary>
    /// One entropy-coded segment per 16-px MCU row of <paramref name="band"/> (RGBA, width a multiple of 16, height a
    /// multiple of 16), DC predictors reset per row; null when a pixel is not grey.
    /// </summary>
    /// <param name="lumaQuantization">The luma quantisation table in zig-zag order (as in DQT).</param>
    public static byte[][]? TryEncode(SKPixmap band, ReadOnlySpan<byte> lumaQuantization)
    {
        if ((band.ColorType != SKColorType.Rgba8888 && band.ColorType != SKColorType.Bgra8888)
            || band.Width % 16 != 0 || band.Height % 16 != 0 || lumaQuantization.Length != 64 || lumaQuantization.Contains((byte)0))
        {
            return null;
        }

        var width = band.Width;
        var rows = band.Height / 16;
        var pixels = band.GetPixelSpan();
        var rowBytes = band.RowBytes;
        Span<int> divisors = stackalloc int[64];
        for (var k = 0; k < 64; k++)
        {
            divisors[k] = lumaQuantization[k] << 3; // the islow DCT's output is scaled up by 8
        }

        var writer = new EntropyWriter(1 << 14);
        var result = new byte[rows][];
        Span<int> block = stackalloc int[64];
        for (var row = 0; row < rows; row++)
        {
            var lumaPredictor = 0;
            for (var mcu = 0; mcu < width / 16; mcu++)
            {
                for (var blockIndex = 0; blockIndex < 4; blockIndex++)
                {
                    var top = (row * 16) + ((blockIndex >> 1) * 8);
                    var left = (mcu * 16) + ((blockIndex & 1) * 8);
                    if (!LoadGrey(pixels, rowBytes, top, left, block, out var uniform))
                    {
                        return null;
                    }

                    if (uniform)
                    {
                        var dc = block[0] * 64; // a constant block: the DCT is its DC term only
                        block.Clear();
                        block[0] = dc;
                    }
                    else
                    {
                        ForwardDct(block);
                    }

                    lumaPredictor = EncodeBlock(writer, block, divisors, lumaPredictor);
                }

                // Cb and Cr: constant 128, level-shifted to 0: DC difference 0, end of block.
                for (var chroma = 0; chroma < 2; chroma++)
                {
                    writer.WriteValue(0, StandardHuffmanTables.DcChrominance);
                    writer.Write(StandardHuffmanTables.AcChrominance.Codes[0], StandardHuffmanTables.AcChrominance.Lengths[0]);
                }
            }

            result[row] = writer.Flush();
        }

        return result;
    }

    /// <summary>Level-shifted samples of one 8 × 8 block; false if any pixel is not grey.</summary>
    private static bool LoadGrey(ReadOnlySpan<byte> pixels, int rowBytes, int top, int left, Span<int> block, out bool uniform)
    {
        var first = pixels[(top * rowBytes) + (left * 4)];
        uniform = true;
        for (var y = 0; y < 8; y++)
        {
            var line = pixels.Slice(((top + y) * rowBytes) + (left * 4), 32);
            for (var x = 0; x < 8; x++)
            {
                var r = line[x * 4];
                if (line[(x * 4) + 1] != r || line[(x * 4) + 2] != r)
                {
                    return false;
                }

                uniform &= r == first;
                block[(y * 8) + x] = r - 128;
            }
        }

        return true;
    }

    /// <summary>Quantises (rounding half away from zero, as libjpeg) and writes one block; returns its DC for the predictor.</summary>
    private static int EncodeBlock(EntropyWriter writer, Span<int> block, Span<int> divisors, int predictor)
    {
        var dc = Quantize(block[0], divisors[0]);
        writer.WriteValue(dc - predictor, StandardHuffmanTables.DcLuminance);
        var ac = StandardHuffmanTables.AcLuminance;
        var run = 0;
        for (var k = 1; k < 64; k++)
        {
            var value = Quantize(block[NaturalOrder[k]], divisors[k]);
            if (value == 0)
            {
                run++;
                continue;
            }

            while (run > 15)
            {
                writer.Write(ac.Codes[0xF0], ac.Lengths[0xF0]);
                run -= 16;
            }

            writer.WriteValue(value, ac, run);
            run = 0;
        }

        if (run > 0)
        {
            writer.Write(ac.Codes[0], ac.Lengths[0]);
        }

        return dc;
    }

    private static int Quantize(int value, int divisor) =>
        value < 0 ? -((-value + (divisor >> 1)) / divisor) : (value + (divisor >> 1)) / divisor;

    /// <summary>libjpeg's jpeg_fdct_islow (jfdctint.c), in place, natural order; output scaled up by 8.</summary>
    private static void ForwardDct(Span<int> data)
    {
        for (var row = 0; row < 64; row += 8)
        {
            var d = data.Slice(row, 8);
            int tmp0 = d[0] + d[7], tmp7 = d[0] - d[7], tmp1 = d[1] + d[6], tmp6 = d[1] - d[6];
            int tmp2 = d[2] + d[5], tmp5 = d[2] - d[5], tmp3 = d[3] + d[4], tmp4 = d[3] - d[4];
            int tmp10 = tmp0 + tmp3, tmp13 = tmp0 - tmp3, tmp11 = tmp1 + tmp2, tmp12 = tmp1 - tmp2;
            d[0] = (tmp10 + tmp11) << Pass1Bits;
            d[4] = (tmp10 - tmp11) << Pass1Bits;
            var z1 = (tmp12 + tmp13) * 4433;
            d[2] = Descale(z1 + (tmp13 * 6270), ConstBits - Pass1Bits);
            d[6] = Descale(z1 + (tmp12 * -15137), ConstBits - Pass1Bits);
            Odd(d, 1, tmp4, tmp5, tmp6, tmp7, ConstBits - Pass1Bits);
        }

        for (var column = 0; column < 8; column++)
        {
            int c0 = data[column], c1 = data[8 + column], c2 = data[16 + column], c3 = data[24 + column];
            int c4 = data[32 + column], c5 = data[40 + column], c6 = data[48 + column], c7 = data[56 + column];
            int tmp0 = c0 + c7, tmp7 = c0 - c7, tmp1 = c1 + c6, tmp6 = c1 - c6;
            int tmp2 = c2 + c5, tmp5 = c2 - c5, tmp3 = c3 + c4, tmp4 = c3 - c4;
            int tmp10 = tmp0 + tmp3, tmp13 = tmp0 - tmp3, tmp11 = tmp1 + tmp2, tmp12 = tmp1 - tmp2;
            data[column] = Descale(tmp10 + tmp11, Pass1Bits);
            data[(4 * 8) + column] = Descale(tmp10 - tmp11, Pass1Bits);
            var z1 = (tmp12 + tmp13) * 4433;
            data[(2 * 8) + column] = Descale(z1 + (tmp13 * 6270), ConstBits + Pass1Bits);
            data[(6 * 8) + column] = Descale(z1 + (tmp12 * -15137), ConstBits + Pass1Bits);
            Odd(data[column..], 8, tmp4, tmp5, tmp6, tmp7, ConstBits + Pass1Bits);
        }
    }

    /// <summary>The odd part of one 1-D pass, writing outputs 1, 3, 5, 7 at <paramref name="stride"/>.</summary>
    private static void Odd(Span<int> d, int stride, int tmp4, int tmp5, int tmp6, int tmp7, int shift)
    {
        var z1 = tmp4 + tmp7;
        var z2 = tmp5 + tmp6;
        var z3 = tmp4 + tmp6;
        var z4 = tmp5 + tmp7;
        var z5 = (z3 + z4) * 9633;
        tmp4 *= 2446;
        tmp5 *= 16819;
        tmp6 *= 25172;
        tmp7 *= 12299;
        z1 *= -7373;
        z2 *= -20995;
        z3 = (z3 * -16069) + z5;
        z4 = (z4 * -3196) + z5;
        d[7 * stride] = Descale(tmp4 + z1 + z3, shift);
        d[5 * stride] = Descale(tmp5 + z2 + z4, shift);
        d[3 * stride] = Descale(tmp6 + z2 + z3, shift);
        d[1 * stride] = Descale(tmp7 + z1 + z4, shift);
    }

    private static int Descale(int value, int shift) => (value + (1 << (shift - 1))) >> shift;
}
