using System.Buffers.Binary;

namespace CouponDesk.Features.Rendering;

/// <summary>
/// Lossless re-coding of a baseline 4:2:0 JPEG's entropy-coded data (what <c>jpegtran -restart</c> does): the same
/// quantised DCT blocks, written with the standard Huffman tables and with the DC predictors reset at the start of
/// every MCU row, so each row becomes an independent restart interval. Only the symbols are re-coded; the coefficient
/// bits are copied, so the picture cannot change.
/// </summary>
internal static class JpegRestartTranscoder
{
    /// <summary>What the encoder put in the header: the tables to check against, the frame, the source's Huffman tables.</summary>
    public sealed class Source
    {
        public required byte[] App0 { get; init; }

        public required byte[] Quantization { get; init; }

        public required byte[] Frame { get; init; }

        public required int Width { get; init; }

        public required int Height { get; init; }

        public required HuffmanDecoder[] DcTables { get; init; }

        public required HuffmanDecoder[] AcTables { get; init; }

        /// <summary>Per scan component (Y, Cb, Cr): its DC and AC table index in the source.</summary>
        public required (int Dc, int Ac)[] Selectors { get; init; }

        public required int ScanStart { get; init; }

        public required int ScanEnd { get; init; }
    }

    /// <summary>Parses a JPEG from the encoder; null when it is not baseline, 3 components, 4:2:0 (2×2, 1×1, 1×1), one scan.</summary>
    public static Source? Parse(ReadOnlySpan<byte> jpeg)
    {
        if (jpeg.Length < 4 || jpeg[0] != 0xFF || jpeg[1] != 0xD8 || jpeg[^2] != 0xFF || jpeg[^1] != 0xD9)
        {
            return null;
        }

        byte[] app0 = [], quantization = [], frame = [];
        var dc = new HuffmanDecoder[4];
        var ac = new HuffmanDecoder[4];
        var at = 2;
        while (at + 4 <= jpeg.Length && jpeg[at] == 0xFF)
        {
            var marker = jpeg[at + 1];
            var length = BinaryPrimitives.ReadUInt16BigEndian(jpeg[(at + 2)..]);
            var segment = jpeg.Slice(at, 2 + length);
            switch (marker)
            {
                case 0xE0:
                    app0 = segment.ToArray();
                    break;
                case 0xDB:
                    quantization = [.. quantization, .. segment];
                    break;
                case 0xC0:
                    frame = segment.ToArray();
                    break;
                case 0xC4:
                    ReadHuffmanTables(segment[4..], dc, ac);
                    break;
                case 0xDA:
                    return ReadScan(jpeg, segment, at + 2 + length, app0, quantization, frame, dc, ac);
                case 0xDD or (>= 0xC1 and <= 0xCF and not 0xC4 and not 0xC8 and not 0xCC):
                    return null; // restart intervals of its own, or not baseline
                default:
                    break;
            }

            at += 2 + length;
        }

        return null;
    }

    /// <summary>Re-codes every MCU row into an independent segment (byte-aligned, 1-padded, no marker), one array per row.</summary>
    public static byte[][] Transcode(ReadOnlySpan<byte> jpeg, Source source)
    {
        var mcusPerRow = (source.Width + 15) / 16;
        var rows = (source.Height + 15) / 16;
        var reader = new BitReader(jpeg[source.ScanStart..source.ScanEnd]);
        var writer = new EntropyWriter(1 << 16);
        var result = new byte[rows][];
        Span<int> sourcePredictor = stackalloc int[3];
        Span<int> targetPredictor = stackalloc int[3];
        for (var row = 0; row < rows; row++)
        {
            targetPredictor.Clear();
            for (var mcu = 0; mcu < mcusPerRow; mcu++)
            {
                for (var component = 0; component < 3; component++)
                {
                    var (dcIndex, acIndex) = source.Selectors[component];
                    var dcIn = source.DcTables[dcIndex];
                    var acIn = source.AcTables[acIndex];
                    var dcOut = component == 0 ? StandardHuffmanTables.DcLuminance : StandardHuffmanTables.DcChrominance;
                    var acOut = component == 0 ? StandardHuffmanTables.AcLuminance : StandardHuffmanTables.AcChrominance;
                    var blocks = component == 0 ? 4 : 1;
                    for (var block = 0; block < blocks; block++)
                    {
                        // DC: decode the difference, keep the absolute value, write it against the reset predictor.
                        var size = reader.Decode(dcIn);
                        var dc = sourcePredictor[component] + Extend(reader.Read(size), size);
                        sourcePredictor[component] = dc;
                        var diff = dc - targetPredictor[component];
                        targetPredictor[component] = dc;
                        writer.WriteValue(diff, dcOut);

                        // AC: the same run/size symbols and the same value bits, only the codes change.
                        for (var k = 1; k < 64;)
                        {
                            var symbol = reader.Decode(acIn);
                            writer.Write(acOut.Codes[symbol], acOut.Lengths[symbol]);
                            var bits = symbol & 15;
                            if (bits == 0)
                            {
                                if (symbol != 0xF0)
                                {
                                    break; // end of block
                                }

                                k += 16;
                                continue;
                            }

                            writer.Write(reader.Read(bits), bits);
                            k += (symbol >> 4) + 1;
                        }
                    }
                }
            }

            result[row] = writer.Flush();
        }

        return reader.Overrun ? throw new InvalidDataException("entropy-coded data ended early") : result;
    }

    private static Source? ReadScan(
        ReadOnlySpan<byte> jpeg, ReadOnlySpan<byte> sos, int scanStart, byte[] app0, byte[] quantization, byte[] frame,
        HuffmanDecoder[] dc, HuffmanDecoder[] ac)
    {
        // SOF0: FF C0 Lf P Y(2) X(2) Nf, then per component: id, HV, Tq. Require Y 2×2, Cb 1×1, Cr 1×1.
        if (frame.Length != 19 || frame[4] != 8 || frame[9] != 3 || frame[11] != 0x22 || frame[14] != 0x11 || frame[17] != 0x11)
        {
            return null;
        }

        // SOS: FF DA Ls Ns, per component: id, Td<<4|Ta, then Ss Se AhAl = 0 63 0.
        if (sos.Length != 14 || sos[4] != 3 || sos[11] != 0 || sos[12] != 63 || sos[13] != 0)
        {
            return null;
        }

        var selectors = new (int Dc, int Ac)[3];
        for (var i = 0; i < 3; i++)
        {
            if (sos[5 + (2 * i)] != frame[10 + (3 * i)])
            {
                return null;
            }

            var tables = sos[6 + (2 * i)];
            selectors[i] = (tables >> 4, tables & 15);
            if (selectors[i].Dc > 3 || selectors[i].Ac > 3 || dc[selectors[i].Dc] is null || ac[selectors[i].Ac] is null)
            {
                return null;
            }
        }

        return new Source
        {
            App0 = app0,
            Quantization = quantization,
            Frame = frame,
            Height = BinaryPrimitives.ReadUInt16BigEndian(frame.AsSpan(5)),
            Width = BinaryPrimitives.ReadUInt16BigEndian(frame.AsSpan(7)),
            DcTables = dc,
            AcTables = ac,
            Selectors = selectors,
            ScanStart = scanStart,
            ScanEnd = jpeg.Length - 2,
        };
    }

    private static void ReadHuffmanTables(ReadOnlySpan<byte> body, HuffmanDecoder[] dc, HuffmanDecoder[] ac)
    {
        while (body.Length >= 17)
        {
            var tableClass = body[0] >> 4;
            var id = body[0] & 15;
            var bits = body.Slice(1, 16);
            var count = 0;
            foreach (var b in bits)
            {
                count += b;
            }

            var table = new HuffmanDecoder(bits, body.Slice(17, count));
            (tableClass == 0 ? dc : ac)[id & 3] = table;
            body = body[(17 + count)..];
        }
    }

    private static int Extend(int value, int size) => size == 0 ? 0 : value < (1 << (size - 1)) ? value - (1 << size) + 1 : value;

    /// <summary>Reads entropy-coded bits, removing the 0x00 stuffed after every 0xFF.</summary>
    private ref struct BitReader(ReadOnlySpan<byte> data)
    {
        private readonly ReadOnlySpan<byte> data = data;
        private int position;
        private ulong buffer;
        private int count;
        private int padding;

        public bool Overrun { get; private set; }

        public int Decode(HuffmanDecoder table)
        {
            Fill();
            var peek = (int)(buffer >> (64 - HuffmanDecoder.LookAhead));
            var fast = table.Fast[peek];
            if (fast != 0)
            {
                Skip(fast >> 8);
                return fast & 0xFF;
            }

            for (var length = HuffmanDecoder.LookAhead + 1; length <= 16; length++)
            {
                var code = (int)(buffer >> (64 - length));
                var symbol = table.Slow(code, length);
                if (symbol >= 0)
                {
                    Skip(length);
                    return symbol;
                }
            }

            throw new InvalidDataException("invalid Huffman code");
        }

        public int Read(int bits)
        {
            if (bits == 0)
            {
                return 0;
            }

            Fill();
            var value = (int)(buffer >> (64 - bits));
            Skip(bits);
            return value;
        }

        private void Skip(int bits)
        {
            buffer <<= bits;
            count -= bits;
            if (count < padding)
            {
                Overrun = true; // a code ran into bits that are not in the data
            }
        }

        private void Fill()
        {
            while (count <= 56)
            {
                byte next = 0xFF; // past the end: the 1-bits of the padding
                if (position < data.Length)
                {
                    next = data[position++];
                    if (next == 0xFF)
                    {
                        position++; // the stuffed zero
                    }
                }
                else
                {
                    padding += 8;
                }

                buffer |= (ulong)next << (56 - count);
                count += 8;
            }
        }
    }
}
