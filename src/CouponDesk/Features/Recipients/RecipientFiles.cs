using System.Globalization;
using System.Text;
using CsvHelper;
using MiniExcelLibs;

namespace CouponDesk.Features.Recipients;

/// <summary>The files the recipients feature hands out: the upload template and the error list.</summary>
public static class RecipientFiles
{
    public const string XlsxContentType = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

    /// <summary>
    /// The sample file (spec §3.2.3): header 휴대폰번호 / 이름(선택), two example rows made of zeros (with and without
    /// hyphens), and a note row starting with ※ that the reader skips.
    /// </summary>
    public static byte[] Template()
    {
        var rows = new List<Dictionary<string, object>>
        {
            new() { ["휴대폰번호"] = "010-0000-0000", ["이름(선택)"] = "" },
            new() { ["휴대폰번호"] = "01000000000", ["이름(선택)"] = "" },
            new()
            {
                ["휴대폰번호"] = "※ 첫 번째 열에 010으로 시작하는 휴대폰 번호(하이픈 있어도 됨)를 한 줄에 하나씩 입력하세요. " +
                    "이름은 선택(50자 이내)이며 메시지에는 쓰이지 않습니다. 최대 20,000건, 중복 번호는 한 번만 발송됩니다. 이 줄은 지워도 됩니다.",
                ["이름(선택)"] = "",
            },
        };
        using var stream = new MemoryStream();
        stream.SaveAs(rows, excelType: ExcelType.XLSX);
        return stream.ToArray();
    }

    /// <summary>
    /// The error list as CSV with a UTF-8 BOM (so Korean Excel opens it correctly). Inputs are already masked; a cell
    /// that would start like a formula is prefixed with an apostrophe anyway.
    /// </summary>
    public static byte[] ErrorCsv(IEnumerable<RecipientErrorView> errors)
    {
        using var stream = new MemoryStream();
        using (var writer = new StreamWriter(stream, new UTF8Encoding(encoderShouldEmitUTF8Identifier: true), leaveOpen: true))
        using (var csv = new CsvWriter(writer, CultureInfo.InvariantCulture))
        {
            foreach (var header in new[] { "행 번호", "열", "입력값", "사유" })
            {
                csv.WriteField(header);
            }

            csv.NextRecord();
            foreach (var error in errors)
            {
                csv.WriteField(error.Row);
                csv.WriteField(Neutralize(error.Column));
                csv.WriteField(Neutralize(error.Input));
                csv.WriteField(Neutralize(error.Reason));
                csv.NextRecord();
            }
        }

        return stream.ToArray();
    }

    private static string Neutralize(string value) =>
        value.Length > 0 && value[0] is '=' or '+' or '-' or '@' or '\t' or '\r' ? "'" + value : value;
}
