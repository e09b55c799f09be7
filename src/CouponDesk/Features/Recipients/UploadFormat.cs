namespace CouponDesk.Features.Recipients;

public enum UploadKind
{
    Xlsx,
    Csv,
}

/// <summary>
/// Decides how to read an upload from its name AND its content: the extension says what the operator meant, the
/// content says what the file is. A mismatch (a CSV renamed .xlsx, an .xls renamed .csv) is refused, never guessed.
/// Whether a .csv is text at all is decided on the whole file, so a stray control character is the same row error
/// (INVALID_CHARACTERS) wherever it stands (issue 14: a NUL in the first 512 bytes once refused the whole file).
/// </summary>
public static class UploadFormat
{
    private static ReadOnlySpan<byte> ZipMagic => [0x50, 0x4B, 0x03, 0x04];

    private static ReadOnlySpan<byte> OleMagic => [0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1];

    public static UploadKind Detect(string fileName, ReadOnlySpan<byte> content)
    {
        var head = content[..Math.Min(content.Length, 512)];
        var extension = Path.GetExtension(fileName).ToLowerInvariant();
        var isZip = head.StartsWith(ZipMagic);
        var isOle = head.StartsWith(OleMagic);
        switch (extension)
        {
            case ".xls":
                throw new RecipientUploadException(UploadProblems.LegacyXls());
            case ".xlsx":
                if (isOle)
                {
                    throw new RecipientUploadException(UploadProblems.LegacyXls());
                }

                return isZip ? UploadKind.Xlsx : throw new RecipientUploadException(UploadProblems.ContentMismatch(".xlsx"));
            case ".csv":
            case ".txt":
                if (isOle)
                {
                    throw new RecipientUploadException(UploadProblems.LegacyXls());
                }

                return isZip || LooksBinary(content) ? throw new RecipientUploadException(UploadProblems.ContentMismatch(".csv")) : UploadKind.Csv;
            case "":
                throw new RecipientUploadException(UploadProblems.FileNameRequired());
            default:
                throw new RecipientUploadException(UploadProblems.UnsupportedType());
        }
    }

    /// <summary>
    /// A file of which a quarter or more is NUL bytes is not text (binary data, or UTF-16 without its byte order mark).
    /// A few NULs in a text file are characters of some rows: those rows get their own error.
    /// </summary>
    private static bool LooksBinary(ReadOnlySpan<byte> content) => content.Count((byte)0) * 4 >= content.Length;
}
