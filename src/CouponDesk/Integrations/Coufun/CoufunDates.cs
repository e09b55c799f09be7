using System.Globalization;
using CouponDesk.Shared.Time;

namespace CouponDesk.Integrations.Coufun;

/// <summary>COUFUN's dates are KST (spec §1 [SR]): <c>YYYYMMDD</c> and <c>YYYYMMDDHHMISS</c> (24-hour clock).</summary>
public static class CoufunDates
{
    public static DateOnly? ParseDate(string? value) =>
        value is { Length: 8 } && DateOnly.TryParseExact(value, "yyyyMMdd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var d) ? d : null;

    /// <summary>The UTC instant of a KST <c>YYYYMMDDHHMISS</c>, or null when it is not one.</summary>
    public static DateTime? ParseTimestampToUtc(string? value) =>
        value is { Length: 14 } && DateTime.TryParseExact(value, "yyyyMMddHHmmss", CultureInfo.InvariantCulture, DateTimeStyles.None, out var kst)
            ? Kst.ToUtc(kst)
            : null;
}
