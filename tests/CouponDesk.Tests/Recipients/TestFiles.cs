using System.IO.Compression;
using System.Text;
using MiniExcelLibs;

namespace CouponDesk.Tests.Recipients;

/// <summary>Builds upload files for tests. Phone numbers only from 010-0000-xxxx … 010-0999-xxxx.</summary>
public static class TestFiles
{
    /// <summary>The n-th test number (0-based), hyphenated or not: 010-0ABC-DEFG within the reserved block.</summary>
    public static string Phone(int n, bool hyphens = true)
    {
        if (n is < 0 or >= 1_000_000)
        {
            throw new ArgumentOutOfRangeException(nameof(n));
        }

        var middle = (n / 10_000).ToString("D4", System.Globalization.CultureInfo.InvariantCulture);
        var last = (n % 10_000).ToString("D4", System.Globalization.CultureInfo.InvariantCulture);
        return hyphens ? $"010-{middle}-{last}" : $"010{middle}{last}";
    }

    /// <summary>An .xlsx written by MiniExcel: a header row and the given rows.</summary>
    public static byte[] Xlsx(IEnumerable<(string? Phone, string? Name)> rows, string phoneHeader = "휴대폰번호", string nameHeader = "이름")
    {
        var data = rows.Select(r => new Dictionary<string, object?> { [phoneHeader] = r.Phone, [nameHeader] = r.Name });
        using var stream = new MemoryStream();
        stream.SaveAs(data, excelType: ExcelType.XLSX);
        return stream.ToArray();
    }

    /// <summary>A hand-made .xlsx around the given sheetData XML, for cells MiniExcel would not write (formulas …).</summary>
    public static byte[] RawXlsx(string sheetDataXml)
    {
        using var stream = new MemoryStream();
        using (var zip = new ZipArchive(stream, ZipArchiveMode.Create, leaveOpen: true))
        {
            Add(zip, "[Content_Types].xml", """
                <?xml version="1.0" encoding="UTF-8" standalone="yes"?>
                <Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">
                <Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>
                <Default Extension="xml" ContentType="application/xml"/>
                <Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>
                <Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>
                </Types>
                """);
            Add(zip, "_rels/.rels", """
                <?xml version="1.0" encoding="UTF-8" standalone="yes"?>
                <Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">
                <Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/>
                </Relationships>
                """);
            Add(zip, "xl/workbook.xml", """
                <?xml version="1.0" encoding="UTF-8" standalone="yes"?>
                <workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">
                <sheets><sheet name="Sheet1" sheetId="1" r:id="rId1"/></sheets>
                </workbook>
                """);
            Add(zip, "xl/_rels/workbook.xml.rels", """
                <?xml version="1.0" encoding="UTF-8" standalone="yes"?>
                <Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">
                <Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/>
                </Relationships>
                """);
            Add(zip, "xl/worksheets/sheet1.xml", $"""
                <?xml version="1.0" encoding="UTF-8" standalone="yes"?>
                <worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>{sheetDataXml}</sheetData></worksheet>
                """);
        }

        return stream.ToArray();
    }

    /// <summary>A zip whose one entry inflates to <paramref name="inflatedBytes"/> of zeros, named like a workbook.</summary>
    public static byte[] ZipBomb(long inflatedBytes)
    {
        using var stream = new MemoryStream();
        using (var zip = new ZipArchive(stream, ZipArchiveMode.Create, leaveOpen: true))
        {
            Add(zip, "xl/workbook.xml", "<workbook/>");
            var entry = zip.CreateEntry("xl/worksheets/sheet1.xml", CompressionLevel.SmallestSize);
            using var output = entry.Open();
            var zeros = new byte[1 << 20];
            for (long written = 0; written < inflatedBytes; written += zeros.Length)
            {
                output.Write(zeros);
            }
        }

        return stream.ToArray();
    }

    public static byte[] Csv(string text, Encoding encoding, bool bom = false) =>
        [.. (bom ? encoding.GetPreamble() : []), .. encoding.GetBytes(text)];

    private static void Add(ZipArchive zip, string name, string content)
    {
        using var writer = new StreamWriter(zip.CreateEntry(name).Open(), new UTF8Encoding(false));
        writer.Write(content.Trim());
    }
}
