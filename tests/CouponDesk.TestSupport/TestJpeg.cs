namespace CouponDesk.TestSupport;

/// <summary>
/// JPEG-shaped test files: SOI, a JFIF header, a baseline frame header with the given pixel size, padding to the wanted
/// byte size in comment segments, EOI. Enough for the header checks (size, pixels, "is it a JPEG"), which is all the
/// back office and the agent stand-in read; nothing here decodes pixels.
/// </summary>
public static class TestJpeg
{
    public static byte[] Create(int width = 720, int height = 960, int totalBytes = 20_000)
    {
        var data = new List<byte> { 0xFF, 0xD8 };
        data.AddRange([0xFF, 0xE0, 0x00, 0x10, (byte)'J', (byte)'F', (byte)'I', (byte)'F', 0x00, 0x01, 0x01, 0x00, 0x00, 0x01, 0x00, 0x01, 0x00, 0x00]);
        data.AddRange([0xFF, 0xC0, 0x00, 0x11, 0x08, (byte)(height >> 8), (byte)height, (byte)(width >> 8), (byte)width, 0x03,
            0x01, 0x22, 0x00, 0x02, 0x11, 0x01, 0x03, 0x11, 0x01]);
        while (data.Count + 2 < totalBytes)
        {
            var length = Math.Min(65_533, totalBytes - data.Count - 2 - 4);
            if (length < 0)
            {
                break;
            }

            data.AddRange([0xFF, 0xFE, (byte)((length + 2) >> 8), (byte)(length + 2)]);
            data.AddRange(new byte[length]);
        }

        data.AddRange([0xFF, 0xD9]);
        return [.. data];
    }

    /// <summary>A PNG signature and nothing else: an image that is not a JPEG, whatever its name says.</summary>
    public static byte[] Png() => [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0, 0];
}
