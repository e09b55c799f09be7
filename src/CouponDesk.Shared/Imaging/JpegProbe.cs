namespace CouponDesk.Shared.Imaging;

/// <summary>
/// Reads a JPEG's pixel size from its frame header without decoding it, so both the back office (before inserting a
/// message) and the agent stand-in (as the gateway) can check the 1500 × 1420 limit cheaply and identically.
/// </summary>
public static class JpegProbe
{
    public static JpegProbeResult Probe(ReadOnlySpan<byte> data)
    {
        if (data.Length < 4 || data[0] != 0xFF || data[1] != 0xD8)
        {
            return JpegProbeResult.NotJpeg;
        }

        var i = 2;
        while (i + 4 <= data.Length)
        {
            if (data[i] != 0xFF)
            {
                return JpegProbeResult.Corrupt;
            }

            var marker = data[i + 1];
            if (marker == 0xFF)
            {
                i++; // fill byte
                continue;
            }

            if (marker is 0xD8 or 0x01 || marker is >= 0xD0 and <= 0xD7)
            {
                i += 2; // markers without a length
                continue;
            }

            var length = (data[i + 2] << 8) | data[i + 3];
            if (length < 2 || i + 2 + length > data.Length)
            {
                return JpegProbeResult.Corrupt;
            }

            // SOF0…SOF15 carry the frame size, except DHT (C4), JPG (C8) and DAC (CC).
            if (marker is >= 0xC0 and <= 0xCF && marker is not (0xC4 or 0xC8 or 0xCC))
            {
                if (length < 7)
                {
                    return JpegProbeResult.Corrupt;
                }

                var height = (data[i + 5] << 8) | data[i + 6];
                var width = (data[i + 7] << 8) | data[i + 8];
                return width == 0 || height == 0 ? JpegProbeResult.Corrupt : new JpegProbeResult(JpegProbeStatus.Ok, width, height);
            }

            if (marker is 0xD9 or 0xDA)
            {
                return JpegProbeResult.Corrupt; // end of image or scan data before any frame header
            }

            i += 2 + length;
        }

        return JpegProbeResult.Corrupt;
    }
}

public enum JpegProbeStatus
{
    Ok,
    NotJpeg,
    Corrupt,
}

public sealed record JpegProbeResult(JpegProbeStatus Status, int Width, int Height)
{
    public static readonly JpegProbeResult NotJpeg = new(JpegProbeStatus.NotJpeg, 0, 0);
    public static readonly JpegProbeResult Corrupt = new(JpegProbeStatus.Corrupt, 0, 0);
}
