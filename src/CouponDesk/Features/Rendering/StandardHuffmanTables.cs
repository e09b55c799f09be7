namespace CouponDesk.Features.Rendering;

/// <summary>
/// The example Huffman tables of ITU T.81 Annex K.3 (libjpeg's defaults). They hold a code for every possible symbol,
/// so any block, from any strip, can be written with them — unlike the per-image optimised tables the encoder emits.
/// </summary>
internal static class StandardHuffmanTables
{
    public static readonly byte[] DcLuminanceBits = [0, 1, 5, 1, 1, 1, 1, 1, 1, 0, 0, 0, 0, 0, 0, 0];
    public static readonly byte[] DcLuminanceValues = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11];
    public static readonly byte[] DcChrominanceBits = [0, 3, 1, 1, 1, 1, 1, 1, 1, 1, 1, 0, 0, 0, 0, 0];
    public static readonly byte[] DcChrominanceValues = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11];
    public static readonly byte[] AcLuminanceBits = [0, 2, 1, 3, 3, 2, 4, 3, 5, 5, 4, 4, 0, 0, 1, 0x7d];

    public static readonly byte[] AcLuminanceValues =
    [
        0x01, 0x02, 0x03, 0x00, 0x04, 0x11, 0x05, 0x12, 0x21, 0x31, 0x41, 0x06, 0x13, 0x51, 0x61, 0x07,
        0x22, 0x71, 0x14, 0x32, 0x81, 0x91, 0xa1, 0x08, 0x23, 0x42, 0xb1, 0xc1, 0x15, 0x52, 0xd1, 0xf0,
        0x24, 0x33, 0x62, 0x72, 0x82, 0x09, 0x0a, 0x16, 0x17, 0x18, 0x19, 0x1a, 0x25, 0x26, 0x27, 0x28,
        0x29, 0x2a, 0x34, 0x35, 0x36, 0x37, 0x38, 0x39, 0x3a, 0x43, 0x44, 0x45, 0x46, 0x47, 0x48, 0x49,
        0x4a, 0x53, 0x54, 0x55, 0x56, 0x57, 0x58, 0x59, 0x5a, 0x63, 0x64, 0x65, 0x66, 0x67, 0x68, 0x69,
        0x6a, 0x73, 0x74, 0x75, 0x76, 0x77, 0x78, 0x79, 0x7a, 0x83, 0x84, 0x85, 0x86, 0x87, 0x88, 0x89,
        0x8a, 0x92, 0x93, 0x94, 0x95, 0x96, 0x97, 0x98, 0x99, 0x9a, 0xa2, 0xa3, 0xa4, 0xa5, 0xa6, 0xa7,
        0xa8, 0xa9, 0xaa, 0xb2, 0xb3, 0xb4, 0xb5, 0xb6, 0xb7, 0xb8, 0xb9, 0xba, 0xc2, 0xc3, 0xc4, 0xc5,
        0xc6, 0xc7, 0xc8, 0xc9, 0xca, 0xd2, 0xd3, 0xd4, 0xd5, 0xd6, 0xd7, 0xd8, 0xd9, 0xda, 0xe1, 0xe2,
        0xe3, 0xe4, 0xe5, 0xe6, 0xe7, 0xe8, 0xe9, 0xea, 0xf1, 0xf2, 0xf3, 0xf4, 0xf5, 0xf6, 0xf7, 0xf8,
        0xf9, 0xfa,
    ];

    public static readonly byte[] AcChrominanceBits = [0, 2, 1, 2, 4, 4, 3, 4, 7, 5, 4, 4, 0, 1, 2, 0x77];

    public static readonly byte[] AcChrominanceValues =
    [
        0x00, 0x01, 0x02, 0x03, 0x11, 0x04, 0x05, 0x21, 0x31, 0x06, 0x12, 0x41, 0x51, 0x07, 0x61, 0x71,
        0x13, 0x22, 0x32, 0x81, 0x08, 0x14, 0x42, 0x91, 0xa1, 0xb1, 0xc1, 0x09, 0x23, 0x33, 0x52, 0xf0,
        0x15, 0x62, 0x72, 0xd1, 0x0a, 0x16, 0x24, 0x34, 0xe1, 0x25, 0xf1, 0x17, 0x18, 0x19, 0x1a, 0x26,
        0x27, 0x28, 0x29, 0x2a, 0x35, 0x36, 0x37, 0x38, 0x39, 0x3a, 0x43, 0x44, 0x45, 0x46, 0x47, 0x48,
        0x49, 0x4a, 0x53, 0x54, 0x55, 0x56, 0x57, 0x58, 0x59, 0x5a, 0x63, 0x64, 0x65, 0x66, 0x67, 0x68,
        0x69, 0x6a, 0x73, 0x74, 0x75, 0x76, 0x77, 0x78, 0x79, 0x7a, 0x82, 0x83, 0x84, 0x85, 0x86, 0x87,
        0x88, 0x89, 0x8a, 0x92, 0x93, 0x94, 0x95, 0x96, 0x97, 0x98, 0x99, 0x9a, 0xa2, 0xa3, 0xa4, 0xa5,
        0xa6, 0xa7, 0xa8, 0xa9, 0xaa, 0xb2, 0xb3, 0xb4, 0xb5, 0xb6, 0xb7, 0xb8, 0xb9, 0xba, 0xc2, 0xc3,
        0xc4, 0xc5, 0xc6, 0xc7, 0xc8, 0xc9, 0xca, 0xd2, 0xd3, 0xd4, 0xd5, 0xd6, 0xd7, 0xd8, 0xd9, 0xda,
        0xe2, 0xe3, 0xe4, 0xe5, 0xe6, 0xe7, 0xe8, 0xe9, 0xea, 0xf2, 0xf3, 0xf4, 0xf5, 0xf6, 0xf7, 0xf8,
        0xf9, 0xfa,
    ];

    public static readonly HuffmanEncoder DcLuminance = new(DcLuminanceBits, DcLuminanceValues);
    public static readonly HuffmanEncoder DcChrominance = new(DcChrominanceBits, DcChrominanceValues);
    public static readonly HuffmanEncoder AcLuminance = new(AcLuminanceBits, AcLuminanceValues);
    public static readonly HuffmanEncoder AcChrominance = new(AcChrominanceBits, AcChrominanceValues);

    /// <summary>The DHT segment declaring the four tables: DC 0/1 and AC 0/1 (luminance/chrominance).</summary>
    public static byte[] DhtSegment()
    {
        var tables = new (byte Class, byte[] Bits, byte[] Values)[]
        {
            (0x00, DcLuminanceBits, DcLuminanceValues), (0x10, AcLuminanceBits, AcLuminanceValues),
            (0x01, DcChrominanceBits, DcChrominanceValues), (0x11, AcChrominanceBits, AcChrominanceValues),
        };
        var body = tables.SelectMany(t => new[] { t.Class }.Concat(t.Bits).Concat(t.Values)).ToArray();
        var length = body.Length + 2;
        return [0xFF, 0xC4, (byte)(length >> 8), (byte)length, .. body];
    }
}

/// <summary>Canonical Huffman codes (T.81 Annex C) for writing: code and length by symbol.</summary>
internal sealed class HuffmanEncoder
{
    public HuffmanEncoder(byte[] bits, byte[] values)
    {
        var code = 0;
        var k = 0;
        for (var length = 1; length <= 16; length++)
        {
            for (var i = 0; i < bits[length - 1]; i++)
            {
                Codes[values[k]] = (ushort)code;
                Lengths[values[k]] = (byte)length;
                code++;
                k++;
            }

            code <<= 1;
        }
    }

    public ushort[] Codes { get; } = new ushort[256];

    public byte[] Lengths { get; } = new byte[256];
}

/// <summary>Canonical Huffman codes for reading, with a 9-bit look-ahead table for the common short codes.</summary>
internal sealed class HuffmanDecoder
{
    public const int LookAhead = 9;

    private readonly int[] maxCode = new int[18];
    private readonly int[] valueOffset = new int[17];
    private readonly byte[] values;

    public HuffmanDecoder(ReadOnlySpan<byte> bits, ReadOnlySpan<byte> values)
    {
        this.values = values.ToArray();
        var code = 0;
        var k = 0;
        for (var length = 1; length <= 16; length++)
        {
            valueOffset[length] = k - code;
            var count = bits[length - 1];
            if (count > 0)
            {
                for (var i = 0; i < count; i++)
                {
                    if (length <= LookAhead)
                    {
                        var first = (code + i) << (LookAhead - length);
                        for (var fill = 0; fill < 1 << (LookAhead - length); fill++)
                        {
                            Fast[first + fill] = (ushort)((length << 8) | values[k + i]);
                        }
                    }
                }

                code += count;
                k += count;
                maxCode[length] = code - 1;
            }
            else
            {
                maxCode[length] = -1;
            }

            code <<= 1;
        }

        maxCode[17] = int.MaxValue;
    }

    /// <summary>By the next 9 bits: (code length &lt;&lt; 8) | symbol, or 0 when the code is longer.</summary>
    public ushort[] Fast { get; } = new ushort[1 << LookAhead];

    /// <summary>The symbol whose code is <paramref name="code"/> of <paramref name="length"/> bits, or -1 if none is.</summary>
    public int Slow(int code, int length) => code <= maxCode[length] ? values[code + valueOffset[length]] : -1;
}
