using SkiaSharp;

namespace CouponDesk.Features.Rendering;

/// <summary>
/// A campaign's JPEG with its fixed rows encoded once (docs/decisions.md D-RND-3). The file is written with a restart
/// marker after every MCU row (16 px at 4:2:0) and the standard Huffman tables, so each row's entropy-coded segment
/// stands alone. The template is encoded once and re-coded row by row (<see cref="JpegRestartTranscoder"/>); per coupon
/// only the MCU rows the barcode band changes are encoded (<see cref="GreyBandEncoder"/>, or the general encoder plus
/// re-coding when the band is not all grey), and the file is the stored rows with the band's rows in between. The DCT blocks are exactly those a whole-image encode produces, so the decoded pixels are identical
/// (tested); only the entropy coding differs.
/// </summary>
internal sealed class RowSplicedJpeg
{
    public const int RowHeight = 16;

    private readonly byte[] header;
    private readonly byte[]?[] rows;
    private readonly byte[] quantization;
    private readonly byte[] frame;
    private readonly byte[] lumaQuantization;
    private readonly int quality;

    private RowSplicedJpeg(
        byte[] header, byte[]?[] rows, byte[] quantization, byte[] frame, byte[] lumaQuantization, int firstVariableRow, int variableRowCount, int quality)
    {
        this.lumaQuantization = lumaQuantization;
        this.header = header;
        this.rows = rows;
        this.quantization = quantization;
        this.frame = frame;
        this.quality = quality;
        FirstVariableRow = firstVariableRow;
        VariableRowCount = variableRowCount;
    }

    public int FirstVariableRow { get; }

    public int VariableRowCount { get; }

    /// <summary>Pixel rows [<see cref="VariableTop"/>, +<see cref="VariableHeight"/>) are encoded per coupon.</summary>
    public int VariableTop => FirstVariableRow * RowHeight;

    public int VariableHeight => VariableRowCount * RowHeight;

    /// <summary>
    /// Encodes <paramref name="canvas"/> once and keeps every MCU row outside [<paramref name="variableTop"/>,
    /// <paramref name="variableBottom"/>). Null when the encoder's output is not a baseline 4:2:0 JPEG we can re-code,
    /// in which case the caller encodes whole images.
    /// </summary>
    public static RowSplicedJpeg? Create(SKPixmap canvas, int variableTop, int variableBottom, int quality)
    {
        var first = variableTop / RowHeight;
        var last = (variableBottom - 1) / RowHeight;
        if (canvas.Width % RowHeight != 0 || (last + 1) * RowHeight > canvas.Height)
        {
            return null;
        }

        var jpeg = JpegEncoding.Encode(canvas, quality);
        if (JpegRestartTranscoder.Parse(jpeg) is not { } source || LumaTable(source) is not { } luma)
        {
            return null;
        }

        var rows = JpegRestartTranscoder.Transcode(jpeg, source);
        var kept = new byte[]?[rows.Length];
        for (var row = 0; row < rows.Length; row++)
        {
            kept[row] = row >= first && row <= last ? null : rows[row];
        }

        return new RowSplicedJpeg(Header(source, canvas.Width / RowHeight), kept, source.Quantization, source.Frame, luma, first, last - first + 1, quality);
    }

    /// <summary>
    /// The whole file, with <paramref name="band"/> (the pixel rows from <see cref="VariableTop"/>, exactly
    /// <see cref="VariableHeight"/> tall) encoded now. Null if the band's encoding does not match the template's
    /// (other quantisation tables or sampling), so the caller falls back to a whole-image encode.
    /// </summary>
    public byte[]? Assemble(SKPixmap band)
    {
        var bandRows = GreyBandEncoder.TryEncode(band, lumaQuantization) ?? EncodeWithLibjpeg(band);
        if (bandRows is null)
        {
            return null;
        }

        var size = header.Length + 2 + (2 * (rows.Length - 1));
        for (var row = 0; row < rows.Length; row++)
        {
            size += (rows[row] ?? bandRows[row - FirstVariableRow]).Length;
        }

        var file = new byte[size];
        header.CopyTo(file, 0);
        var at = header.Length;
        for (var row = 0; row < rows.Length; row++)
        {
            var segment = rows[row] ?? bandRows[row - FirstVariableRow];
            segment.CopyTo(file, at);
            at += segment.Length;

            // RSTn after every interval but the last, n counting 0…7 (ITU T.81 B.2.1).
            if (row < rows.Length - 1)
            {
                file[at++] = 0xFF;
                file[at++] = (byte)(0xD0 + (row % 8));
            }
        }

        file[at++] = 0xFF;
        file[at] = 0xD9;
        return file;
    }

    /// <summary>The general path for a band that is not all grey: the encoder, then re-coded like the template.</summary>
    private byte[][]? EncodeWithLibjpeg(SKPixmap band)
    {
        var jpeg = JpegEncoding.Encode(band, quality);
        return JpegRestartTranscoder.Parse(jpeg) is { } source
            && source.Quantization.AsSpan().SequenceEqual(quantization)
            && source.Frame.AsSpan(9).SequenceEqual(frame.AsSpan(9))
            && source.Width == CouponLayout.Width
            && source.Height == VariableHeight
                ? JpegRestartTranscoder.Transcode(jpeg, source)
                : null;
    }

    /// <summary>The 64 luma quantisers (zig-zag order) of the table the frame assigns to its first component.</summary>
    private static byte[]? LumaTable(JpegRestartTranscoder.Source source)
    {
        var wanted = source.Frame[12];
        var dqt = source.Quantization.AsSpan();
        while (dqt.Length >= 4 && dqt[0] == 0xFF && dqt[1] == 0xDB)
        {
            var length = (dqt[2] << 8) | dqt[3];
            var body = dqt.Slice(4, length - 2);
            while (body.Length >= 65)
            {
                if (body[0] >> 4 != 0)
                {
                    return null; // 16-bit tables: not what a quality-90 baseline encoder writes
                }

                if ((body[0] & 15) == wanted)
                {
                    return body.Slice(1, 64).ToArray();
                }

                body = body[65..];
            }

            dqt = dqt[(2 + length)..];
        }

        return null;
    }

    /// <summary>SOI, JFIF, the encoder's quantisation tables and frame, the standard Huffman tables, DRI, SOS.</summary>
    private static byte[] Header(JpegRestartTranscoder.Source source, int mcusPerRow)
    {
        byte[] restart = [0xFF, 0xDD, 0x00, 0x04, (byte)(mcusPerRow >> 8), (byte)mcusPerRow];
        var frame = source.Frame;
        byte[] scan = [0xFF, 0xDA, 0x00, 0x0C, 0x03, frame[10], 0x00, frame[13], 0x11, frame[16], 0x11, 0x00, 0x3F, 0x00];
        return [0xFF, 0xD8, .. source.App0, .. source.Quantization, .. frame, .. StandardHuffmanTables.DhtSegment(), .. restart, .. scan];
    }
}
