namespace CouponDesk.Features.Recipients;

public enum UploadKind
{
    Xlsx,
    Csv,
}

/// <summary>
/// Decides how to read an upload from its name AND its content: the extension says what the operator meant, the first
/// bytes say what the file is. A mismatch (a CSV renamed .xlsx, an .xls renamed .csv) is refused, never guessed.
/// </summary>
public static class UploadFormat
{
    private static ReadOnlySpan<byte> ZipMagic => [0x50, 0x4B, 0x03, 0x04];

    private static ReadOnlySpan<byte> OleMagic => [0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1];

    public static UploadKind Detect(string fileName, ReadOnlySpan<byte> head)
    {
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

                return isZip || LooksBinary(head) ? throw new RecipientUploadException(UploadProblems.ContentMismatch(".csv")) : UploadKind.Csv;
            case "":
                throw new RecipientUploadException(UploadProblems.FileNameRequired());
            default:
                throw new RecipientUploadException(UploadProblems.UnsupportedType());
        }
    }

    /// <summary>NUL bytes do not occur in UTF-8 or CP949 text.</summary>
    private static bool LooksBinary(ReadOnlySpan<byte> head) => head.Contains((byte)0);
}
