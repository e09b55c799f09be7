using System.Text;

namespace CouponDesk.Features.Recipients;

/// <summary>
/// Decodes an uploaded CSV (spec §3.2.3): UTF-8 with or without BOM; a file that is not valid UTF-8 is read as CP949
/// (what Korean Excel writes). A file whose lines disagree — some valid UTF-8 with non-ASCII text, others not — mixes
/// encodings and is refused rather than half-garbled. Requires the code pages provider to be registered.
/// </summary>
public static class CsvTextDecoder
{
    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    public static string Decode(ReadOnlySpan<byte> bytes)
    {
        if (bytes.StartsWith((ReadOnlySpan<byte>)[0xEF, 0xBB, 0xBF]))
        {
            return DecodeUtf8(bytes[3..]);
        }

        if (bytes.StartsWith((ReadOnlySpan<byte>)[0xFF, 0xFE]) || bytes.StartsWith((ReadOnlySpan<byte>)[0xFE, 0xFF]))
        {
            // UTF-16 (Excel's "Unicode text"): not a CSV we accept.
            throw new RecipientUploadException(UploadProblems.UnknownEncoding());
        }

        if (IsValidUtf8(bytes))
        {
            return StrictUtf8.GetString(bytes);
        }

        if (HasUtf8NonAsciiLine(bytes))
        {
            throw new RecipientUploadException(UploadProblems.MixedEncoding());
        }

        try
        {
            return Encoding.GetEncoding(949, EncoderFallback.ExceptionFallback, DecoderFallback.ExceptionFallback).GetString(bytes);
        }
        catch (DecoderFallbackException)
        {
            throw new RecipientUploadException(UploadProblems.UnknownEncoding());
        }
    }

    private static string DecodeUtf8(ReadOnlySpan<byte> bytes)
    {
        try
        {
            return StrictUtf8.GetString(bytes);
        }
        catch (DecoderFallbackException)
        {
            // A UTF-8 BOM followed by bytes that are not UTF-8: CP949 lines pasted into a UTF-8 file.
            throw new RecipientUploadException(UploadProblems.MixedEncoding());
        }
    }

    private static bool IsValidUtf8(ReadOnlySpan<byte> bytes) => System.Text.Unicode.Utf8.IsValid(bytes);

    /// <summary>True when some line holds non-ASCII bytes that are valid UTF-8 (the rest of the file is not).</summary>
    private static bool HasUtf8NonAsciiLine(ReadOnlySpan<byte> bytes)
    {
        while (!bytes.IsEmpty)
        {
            var end = bytes.IndexOf((byte)'\n');
            var line = end < 0 ? bytes : bytes[..end];
            if (!System.Text.Ascii.IsValid(line) && IsValidUtf8(line))
            {
                return true;
            }

            bytes = end < 0 ? [] : bytes[(end + 1)..];
        }

        return false;
    }
}
