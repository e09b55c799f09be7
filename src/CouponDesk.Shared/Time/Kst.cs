using System.Globalization;

namespace CouponDesk.Shared.Time;

/// <summary>
/// Korea Standard Time. The rule (docs/decisions.md): our own tables store UTC in DATETIME(6); every business time is
/// shown and reasoned about in KST; the SNAP Agent's REQ_DATE is the one column written as KST wall-clock time.
/// KST has had no daylight saving since 1988, so a fixed +09:00 offset is exact for every date we handle.
/// </summary>
public static class Kst
{
    public static readonly TimeSpan Offset = TimeSpan.FromHours(9);

    public static readonly TimeZoneInfo Zone = FindZone();

    /// <summary>The KST wall-clock time for a UTC instant (Kind = Unspecified, as a DATETIME column holds it).</summary>
    public static DateTime ToKst(DateTime utc) =>
        DateTime.SpecifyKind(EnsureUtc(utc).Add(Offset), DateTimeKind.Unspecified);

    /// <summary>The UTC instant of a KST wall-clock time.</summary>
    public static DateTime ToUtc(DateTime kstWallClock) =>
        DateTime.SpecifyKind(kstWallClock - Offset, DateTimeKind.Utc);

    public static DateTime Now(TimeProvider time) => ToKst(time.GetUtcNow().UtcDateTime);

    /// <summary>Table format <c>YYYY-MM-DD HH:mm</c>.</summary>
    public static string FormatMinute(DateTime utc) =>
        ToKst(utc).ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture);

    /// <summary>Coupon image format <c>YYYY.MM.DD</c>.</summary>
    public static string FormatDate(DateOnly date) => date.ToString("yyyy.MM.dd", CultureInfo.InvariantCulture);

    private static DateTime EnsureUtc(DateTime value) => value.Kind switch
    {
        DateTimeKind.Utc => value,
        DateTimeKind.Local => value.ToUniversalTime(),
        // Our DATETIME(6) columns hold UTC; MySqlConnector reads them as Utc when DateTimeKind=Utc is set.
        _ => DateTime.SpecifyKind(value, DateTimeKind.Utc),
    };

    private static TimeZoneInfo FindZone()
    {
        try
        {
            return TimeZoneInfo.FindSystemTimeZoneById("Asia/Seoul");
        }
        catch (TimeZoneNotFoundException)
        {
            return TimeZoneInfo.CreateCustomTimeZone("KST", Offset, "Korea Standard Time", "KST");
        }
    }
}
