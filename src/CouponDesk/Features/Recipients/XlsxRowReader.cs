using System.Globalization;
using System.IO.Compression;
using MiniExcelLibs;

namespace CouponDesk.Features.Recipients;

/// <summary>
/// Reads the first sheet of an .xlsx with MiniExcel, row by row (streaming). Before parsing, the zip directory is
/// checked: a package whose entries would unpack to more than the configured limit (a zip bomb) is refused without
/// inflating anything, and .NET's zip reader refuses an entry that inflates past the size it declares.
/// </summary>
public static class XlsxRowReader
{
    private const int MaxEntries = 2_000;

    public static void CheckPackage(Stream content, long maxUncompressedBytes)
    {
        try
        {
            using var zip = new ZipArchive(content, ZipArchiveMode.Read, leaveOpen: true);
            if (zip.Entries.Count > MaxEntries)
            {
                throw new RecipientUploadException(UploadProblems.ZipBomb());
            }

            long total = 0;
            var hasWorkbook = false;
            foreach (var entry in zip.Entries)
            {
                total += entry.Length;
                hasWorkbook |= entry.FullName.Equals("xl/workbook.xml", StringComparison.OrdinalIgnoreCase);
            }

            if (total > maxUncompressedBytes)
            {
                throw new RecipientUploadException(UploadProblems.ZipBomb());
            }

            if (!hasWorkbook)
            {
                // A zip, but not a workbook (a .docx, an archive renamed .xlsx …).
                throw new RecipientUploadException(UploadProblems.ContentMismatch(".xlsx"));
            }
        }
        catch (InvalidDataException)
        {
            throw new RecipientUploadException(UploadProblems.Unreadable());
        }
        finally
        {
            content.Position = 0;
        }
    }

    public static IEnumerable<SourceRow> Read(Stream content)
    {
        IEnumerator<dynamic> rows;
        try
        {
            rows = MiniExcel.Query(content, useHeaderRow: false, excelType: ExcelType.XLSX).GetEnumerator();
        }
        catch (Exception ex) when (ex is not RecipientUploadException)
        {
            throw new RecipientUploadException(UploadProblems.Unreadable());
        }

        using (rows)
        {
            var number = 0;
            while (true)
            {
                IDictionary<string, object?> row;
                try
                {
                    if (!rows.MoveNext())
                    {
                        yield break;
                    }

                    row = (IDictionary<string, object?>)rows.Current;
                }
                catch (Exception ex) when (ex is not RecipientUploadException)
                {
                    // Malformed XML inside a valid zip, an entry longer than declared, … : the file, not us.
                    throw new RecipientUploadException(UploadProblems.Unreadable());
                }

                number++;
                var cells = new string?[Math.Min(row.Count, SourceRow.MaxCells)];
                var i = 0;
                foreach (var value in row.Values)
                {
                    if (i == cells.Length)
                    {
                        break;
                    }

                    cells[i++] = CellText(value);
                }

                yield return new SourceRow(number, cells);
            }
        }
    }

    /// <summary>Numbers come back as doubles (a phone typed as a number lost its leading zero; normalisation restores it).</summary>
    private static string? CellText(object? value) => value switch
    {
        null => null,
        string s => s,
        double d when d == Math.Floor(d) && Math.Abs(d) < 1e15 => ((long)d).ToString(CultureInfo.InvariantCulture),
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString(),
    };
}
