using System.Text;

namespace CouponDesk.Features.Audit;

/// <summary>
/// Minimal RFC 4180 CSV with CSV-injection protection: a cell starting with <c>= + - @</c>, tab or carriage return is
/// prefixed with <c>'</c> so a spreadsheet shows it as text instead of running it as a formula (OWASP CSV injection).
/// </summary>
public static class CsvWriter
{
    public static string Cell(string? value)
    {
        if (string.IsNullOrEmpty(value))
        {
            return "";
        }

        var safe = value[0] is '=' or '+' or '-' or '@' or '\t' or '\r' ? "'" + value : value;
        return "\"" + safe.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";
    }

    public static string Line(IEnumerable<string?> cells) => string.Join(',', cells.Select(Cell)) + "\r\n";

    /// <summary>UTF-8 with a byte order mark: Excel opens Korean text correctly only with it.</summary>
    public static readonly Encoding Encoding = new UTF8Encoding(encoderShouldEmitUTF8Identifier: true);
}
