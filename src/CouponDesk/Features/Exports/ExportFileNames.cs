using System.Globalization;
using CouponDesk.Shared.Time;

namespace CouponDesk.Features.Exports;

/// <summary>File names of spec §3.3.4, stamped in KST; an unmasked file says so in its name.</summary>
public static class ExportFileNames
{
    public const string DetailSheet = "발송상세";
    public const string ListSheet = "발송조회";

    public static string Detail(string campaignNo, DateTime nowUtc, bool unmasked) =>
        $"발송상세내역_{Safe(campaignNo)}_{Stamp(nowUtc)}{(unmasked ? "(원본)" : "")}.xlsx";

    public static string List(DateTime nowUtc, bool unmasked) => $"발송조회_{Stamp(nowUtc)}{(unmasked ? "(원본)" : "")}.xlsx";

    private static string Stamp(DateTime nowUtc) => Kst.ToKst(nowUtc).ToString("yyyyMMddHHmm", CultureInfo.InvariantCulture);

    // Campaign numbers are ours (letters, digits, hyphens); anything else never reaches a header.
    private static string Safe(string text) => new(text.Where(c => char.IsAsciiLetterOrDigit(c) || c == '-').ToArray());
}
