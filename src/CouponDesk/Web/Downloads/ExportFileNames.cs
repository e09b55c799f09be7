using System.Globalization;
using CouponDesk.Shared.Time;

namespace CouponDesk.Web.Downloads;

/// <summary>
/// Every download's file name in one place: spec §3.3.4's, and the other downloads named the same way (Korean name,
/// KST stamp <c>yyyyMMddHHmm</c>); an unmasked file says so in its name. The browser receives them as RFC 6266
/// <c>filename*</c> (UTF-8) next to ASP.NET's ASCII fallback.
/// </summary>
public static class ExportFileNames
{
    public const string DetailSheet = "발송상세";
    public const string ListSheet = "발송조회";

    public static string Detail(string campaignNo, DateTime nowUtc, bool unmasked) =>
        $"발송상세내역_{Safe(campaignNo)}_{Stamp(nowUtc)}{(unmasked ? "(원본)" : "")}.xlsx";

    public static string List(DateTime nowUtc, bool unmasked) => $"발송조회_{Stamp(nowUtc)}{(unmasked ? "(원본)" : "")}.xlsx";

    /// <summary>감사로그 CSV (spec §3.7 Export).</summary>
    public static string AuditLog(DateTime nowUtc) => $"감사로그_{Stamp(nowUtc)}.csv";

    /// <summary>발급 확인 필요 CSV for the supplier (spec §3.10).</summary>
    public static string InDoubtOrders(DateTime nowUtc) => $"발급확인필요_{Stamp(nowUtc)}.csv";

    /// <summary>The recipient upload template (spec §3.2.3).</summary>
    public const string RecipientTemplate = "수신자_등록_샘플.xlsx";

    /// <summary>A recipient upload's error rows (spec §3.2.3 [오류 목록 다운로드]).</summary>
    public static string RecipientErrors(long campaignId, long listId) =>
        $"수신자_오류목록_{campaignId.ToString(CultureInfo.InvariantCulture)}_{listId.ToString(CultureInfo.InvariantCulture)}.csv";

    private static string Stamp(DateTime nowUtc) => Kst.ToKst(nowUtc).ToString("yyyyMMddHHmm", CultureInfo.InvariantCulture);

    // Campaign numbers are ours (letters, digits, hyphens); anything else never reaches a header.
    private static string Safe(string text) => new(text.Where(c => char.IsAsciiLetterOrDigit(c) || c == '-').ToArray());
}
