using SkiaSharp;

namespace CouponDesk.Features.Rendering;

/// <summary>
/// A campaign's JPEG with its fixed rows encoded once (docs/decisions.md D-6.3). The file is written with a restart
/// marker after every MCU row (16 px at 4:2:0) and the standard Huffman tables, so each row's entropy-coded segment
/// stands alone. The template is encoded once and re-coded row by row (<see cref="JpegRestartTranscoder"/>); per coupon
/// only the barcode band (16 MCU rows) is encoded and re-coded, and the file is the stored rows with the band's rows
/// in between. The DCT blocks are exactly those a whole-image encode produces, so the decoded pixels are identical
/// (tested); only the entropy coding differs.
/// </summary>
internal sealed class RowSplicedJpeg
{
    public const int RowHeight = 16;

    private readonly byte[] header;
    private readonly byte[]?[] rows;
    private readonly byte[] quantization;
    private readonly byte[] frame;
    private readonly int quality;

    private RowSplicedJpeg(byte[] header, byte[]?[] rows, byte[] quantization, byte[] frame, int firstVariableRow, int variableRowCount, int quality)
    {
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
        if (JpegRestartTranscoder.Parse(jpeg) is not { } source)
        {
            return null;
        }

        var rows = JpegRestartTranscoder.Transcode(jpeg, source);
        var kept = new byte[]?[rows.Length];
        for (var row = 0; row < rows.Length; row++)
        {
            kept[row] = row >= first && row <= last ? null : rows[row];
        }

        return new RowSplicedJpeg(Header(source, canvas.Width / RowHeight), kept, source.Quantization, source.Frame, first, last - first + 1, quality);
    }

    /// <summary>
    /// The whole file, with <paramref name="band"/> (the pixel rows from <see cref="VariableTop"/>, exactly
    /// <see cref="VariableHeight"/> tall) encoded now. Null if the band's encoding does not match the template's
    /// (other quantisation tables or sampling), so the caller falls back to a whole-image encode.
    /// </summary>
    public byte[]? Assemble(SKPixmap band)
    {
        var jpeg = JpegEncoding.Encode(band, quality);
        if (JpegRestartTranscoder.Parse(jpeg) is not { } source
            || !source.Quantization.AsSpan().SequenceEqual(quantization)
            || !source.Frame.AsSpan(9).SequenceEqual(frame.AsSpan(9))
            || source.Width != CouponLayout.Width
            || source.Height != VariableHeight)
        {
            return null;
        }

        var bandRows = JpegRestartTranscoder.Transcode(jpeg, source);
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

    /// <summary>SOI, JFIF, the encoder's quantisation tables and frame, the standard Huffman tables, DRI, SOS.</summary>
    private static byte[] Header(JpegRestartTranscoder.Source source, int mcusPerRow)
    {
        byte[] restart = [0xFF, 0xDD, 0x00, 0x04, (byte)(mcusPerRow >> 8), (byte)mcusPerRow];
        var frame = source.Frame;
        byte[] scan = [0xFF, 0xDA, 0x00, 0x0C, 0x03, frame[10], 0x00, frame[13], 0x11, frame[16], 0x11, 0x00, 0x3F, 0x00];
        return [0xFF, 0xD8, .. source.App0, .. source.Quantization, .. frame, .. StandardHuffmanTables.DhtSegment(), .. restart, .. scan];
    }
}
