using System.IO.Compression;
using System.Xml;

namespace CouponDesk.Features.Recipients;

/// <summary>
/// MiniExcel materialises every row up to the sheet's last row, each as wide as the sheet's widest row, so one cell in
/// column XFD and another in row 1,048,576 make it build billions of empty cells from a tiny file. Before MiniExcel
/// runs, the worksheets are scanned with a streaming XML reader (no DTDs, no entity expansion) and a sheet whose
/// declared size or cell addresses go beyond a recipient list's shape is refused.
/// </summary>
public static class XlsxSheetGuard
{
    public const int MaxColumns = 64;

    public static void Check(Stream content, int maxRowIndex)
    {
        try
        {
            using var zip = new ZipArchive(content, ZipArchiveMode.Read, leaveOpen: true);
            foreach (var entry in zip.Entries.Where(e => e.FullName.StartsWith("xl/worksheets/", StringComparison.OrdinalIgnoreCase) && e.FullName.EndsWith(".xml", StringComparison.OrdinalIgnoreCase)))
            {
                using var stream = entry.Open();
                CheckSheet(stream, maxRowIndex);
            }
        }
        catch (Exception ex) when (ex is InvalidDataException or XmlException)
        {
            throw new RecipientUploadException(UploadProblems.Unreadable());
        }
        finally
        {
            content.Position = 0;
        }
    }

    private static void CheckSheet(Stream sheet, int maxRowIndex)
    {
        var settings = new XmlReaderSettings { DtdProcessing = DtdProcessing.Prohibit, XmlResolver = null, IgnoreComments = true, IgnoreWhitespace = true };
        using var reader = XmlReader.Create(sheet, settings);
        while (reader.Read())
        {
            if (reader.NodeType != XmlNodeType.Element)
            {
                continue;
            }

            switch (reader.LocalName)
            {
                case "dimension" when reader.GetAttribute("ref") is { } range:
                    foreach (var corner in range.Split(':'))
                    {
                        CheckAddress(corner, maxRowIndex);
                    }

                    break;
                case "row" when reader.GetAttribute("r") is { } r:
                    if (!int.TryParse(r, out var row) || row > maxRowIndex)
                    {
                        throw TooLarge();
                    }

                    break;
                case "c" when reader.GetAttribute("r") is { } address:
                    CheckAddress(address, maxRowIndex);
                    break;
            }
        }
    }

    private static void CheckAddress(string address, int maxRowIndex)
    {
        var column = 0;
        var i = 0;
        for (; i < address.Length && char.IsAsciiLetter(address[i]); i++)
        {
            column = (column * 26) + (char.ToUpperInvariant(address[i]) - 'A' + 1);
            if (column > MaxColumns)
            {
                throw TooLarge();
            }
        }

        if (i < address.Length && (!int.TryParse(address.AsSpan(i), out var row) || row > maxRowIndex))
        {
            throw TooLarge();
        }
    }

    private static RecipientUploadException TooLarge() => new(UploadProblems.SheetTooLarge());
}
