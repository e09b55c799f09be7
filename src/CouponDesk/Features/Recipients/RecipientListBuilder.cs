namespace CouponDesk.Features.Recipients;

/// <summary>
/// Turns rows into a recipient list (spec §3.2.3): finds the phone column (column A, or under a recognised header,
/// with an optional name column under a recognised header), skips empty rows, normalises numbers, drops duplicates
/// (first kept), and records every bad row with its row number, column and reason. The 20,001st data row refuses the
/// whole file at once. Nothing here touches the database.
/// </summary>
public sealed class RecipientListBuilder(int maxRows)
{
    public const string PhoneColumnLabel = "휴대폰번호";
    public const string NameColumnLabel = "이름";
    public const int MaxNameLength = 50;

    private static readonly HashSet<string> PhoneHeaders = new(StringComparer.OrdinalIgnoreCase) { "phone", "휴대폰번호", "휴대폰 번호", "전화번호", "수신번호" };
    private static readonly HashSet<string> NameHeaders = new(StringComparer.OrdinalIgnoreCase) { "name", "이름", "이름(선택)" };

    public ParsedRecipientList Build(IEnumerable<SourceRow> rows)
    {
        var list = new ParsedRecipientList();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        int? phoneColumn = null;
        var nameColumn = -1;
        var anyPhoneCell = false;
        var dataRows = 0;

        foreach (var row in rows)
        {
            if (row.IsEmpty || IsTemplateNote(row))
            {
                continue;
            }

            if (phoneColumn is null)
            {
                (phoneColumn, nameColumn, var isHeader) = DetectColumns(row);
                if (isHeader)
                {
                    continue;
                }
            }

            if (++dataRows > maxRows)
            {
                throw new RecipientUploadException(UploadProblems.TooManyRows(maxRows));
            }

            var phoneCell = row.Cell(phoneColumn.Value);
            anyPhoneCell |= !string.IsNullOrWhiteSpace(phoneCell);
            Add(list, seen, row.Number, phoneCell, nameColumn >= 0 ? row.Cell(nameColumn) : null);
        }

        if (dataRows == 0)
        {
            throw new RecipientUploadException(UploadProblems.Empty());
        }

        if (!anyPhoneCell)
        {
            throw new RecipientUploadException(UploadProblems.NoPhoneColumn());
        }

        return list;
    }

    /// <summary>Quick entry: one number per line, no header, no name (spec §3.2.3 간편등록).</summary>
    public ParsedRecipientList BuildQuickEntry(IReadOnlyList<string?> lines)
    {
        var list = new ParsedRecipientList();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < lines.Count; i++)
        {
            if (!string.IsNullOrWhiteSpace(lines[i]))
            {
                Add(list, seen, i + 1, lines[i], null);
            }
        }

        return list.Total == 0 ? throw new RecipientUploadException(UploadProblems.QuickEntryEmpty()) : list;
    }

    private static void Add(ParsedRecipientList list, HashSet<string> seen, int rowNumber, string? phoneCell, string? nameCell)
    {
        var phone = PhoneNumber.Normalize(phoneCell);
        if (phone.Error is { } phoneError)
        {
            list.Errors.Add(new RecipientRowError(rowNumber, PhoneColumnLabel, phoneError, MaskInput(phoneCell)));
            return;
        }

        var name = string.IsNullOrWhiteSpace(nameCell) ? null : nameCell.Trim();
        if (name is not null && name.Length > MaxNameLength)
        {
            list.Errors.Add(new RecipientRowError(rowNumber, NameColumnLabel, RecipientErrorCode.NameTooLong, $"({name.Length}자)"));
            return;
        }

        if (name is not null && (name.Any(char.IsSurrogate) || Web.Validation.FreeText.FindForbidden(name) is not null))
        {
            list.Errors.Add(new RecipientRowError(rowNumber, NameColumnLabel, RecipientErrorCode.InvalidCharacters, MaskName(name)));
            return;
        }

        if (!seen.Add(phone.Normalized!))
        {
            list.Errors.Add(new RecipientRowError(rowNumber, PhoneColumnLabel, RecipientErrorCode.DuplicateInFile, PhoneNumber.Mask(phone.Normalized!)));
            list.DuplicateCount++;
            return;
        }

        list.Valid.Add(new RecipientEntry(rowNumber, phone.Normalized!, name));
    }

    /// <summary>
    /// The first non-empty row: a header when one of its cells is a recognised phone header; an unrecognised header
    /// (column A holds words and no digit) refuses the file; otherwise it is data and the phone is column A.
    /// </summary>
    private static (int Phone, int Name, bool IsHeader) DetectColumns(SourceRow row)
    {
        var phone = -1;
        var name = -1;
        for (var i = 0; i < row.Cells.Length; i++)
        {
            var text = row.Cells[i]?.Trim();
            if (text is null)
            {
                continue;
            }

            if (phone < 0 && PhoneHeaders.Contains(text))
            {
                phone = i;
            }
            else if (name < 0 && NameHeaders.Contains(text))
            {
                name = i;
            }
        }

        if (phone >= 0)
        {
            return (phone, name, true);
        }

        var first = row.Cell(0);
        if (name >= 0 || (first is not null && first.Any(char.IsLetter) && !first.Any(char.IsAsciiDigit)))
        {
            throw new RecipientUploadException(UploadProblems.NoPhoneColumn());
        }

        return (0, -1, false);
    }

    /// <summary>The downloadable template's explanation row starts with ※ and is not data.</summary>
    private static bool IsTemplateNote(SourceRow row) => row.Cell(0)?.TrimStart().StartsWith('※') == true;

    /// <summary>
    /// What the error table shows of a bad input: only its last 4 characters (spec §3.2.3), control characters shown as
    /// '?', so neither a number nor a formula survives into a screen or a spreadsheet.
    /// </summary>
    public static string MaskInput(string? input)
    {
        var text = (input ?? "").Trim();
        if (text.Length == 0)
        {
            return "(빈 값)";
        }

        var keep = Math.Min(4, text.Length / 2);
        var visible = text[^keep..].Select(c => char.IsControl(c) || char.IsSurrogate(c) ? '?' : c);
        var stars = Math.Min(text.Length - keep, 16);
        return new string('*', stars) + new string(visible.ToArray());
    }

    /// <summary>Names as spec §7.3: first and last character kept.</summary>
    public static string MaskName(string name) => name.Length switch
    {
        <= 1 => "*",
        2 => name[0] + "*",
        _ => name[0] + new string('*', Math.Min(name.Length - 2, 8)) + name[^1],
    };
}

public sealed record RecipientEntry(int SourceRow, string Phone, string? Name);

public sealed record RecipientRowError(int SourceRow, string Column, RecipientErrorCode Code, string InputMasked);

public sealed class ParsedRecipientList
{
    public List<RecipientEntry> Valid { get; } = [];

    public List<RecipientRowError> Errors { get; } = [];

    public int DuplicateCount { get; set; }

    public int ErrorCount => Errors.Count - DuplicateCount;

    public int Total => Valid.Count + Errors.Count;
}
