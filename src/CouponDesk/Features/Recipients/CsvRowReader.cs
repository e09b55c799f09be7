using System.Globalization;
using CsvHelper;
using CsvHelper.Configuration;

namespace CouponDesk.Features.Recipients;

/// <summary>Reads a decoded CSV record by record with CsvHelper; the row number is the record number Excel would show.</summary>
public static class CsvRowReader
{
    private static readonly CsvConfiguration Configuration = new(CultureInfo.InvariantCulture)
    {
        HasHeaderRecord = false,
        BadDataFound = null,
        MissingFieldFound = null,
        IgnoreBlankLines = false,
        DetectDelimiter = true,
        DetectDelimiterValues = [",", ";", "\t"],
    };

    public static IEnumerable<SourceRow> Read(string text)
    {
        using var reader = new StringReader(text);
        using var parser = new CsvParser(reader, Configuration);
        var number = 0;
        while (parser.Read())
        {
            number++;
            var record = parser.Record ?? [];
            var cells = new string?[Math.Min(record.Length, SourceRow.MaxCells)];
            Array.Copy(record, cells, cells.Length);
            yield return new SourceRow(number, cells);
        }
    }
}
