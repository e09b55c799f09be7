namespace CouponDesk.Shared.Snap;

/// <summary>
/// What the LG U+ gateway accepts in one MMS (spec/snap-agent.md §9): the back office refuses anything outside these
/// before it inserts a row, and the agent stand-in fails such a row with the manual's codes. One place, so the two can
/// never disagree.
/// </summary>
public static class MmsLimits
{
    public const int TitleMaxBytes = 40;
    public const int BodyMaxBytes = 2000;
    public const int MaxFiles = 3;

    /// <summary>"300 KB" read as 300,000 bytes, the stricter of 300,000 / 307,200 (§16 #24).</summary>
    public const int MaxFileBytes = 300_000;

    public const int MaxWidth = 1500;
    public const int MaxHeight = 1420;

    /// <summary>Recipient: <c>01</c> and 8–9 more digits (§15).</summary>
    public static bool IsMobileNumber(string digits) =>
        digits.Length is 10 or 11 && digits.StartsWith("01", StringComparison.Ordinal) && digits.All(char.IsAsciiDigit);

    /// <summary>Sender number: digits only, 8–11 of them (§10).</summary>
    public static bool IsCallbackNumberFormat(string digits) =>
        digits.Length is >= 8 and <= 11 && digits.All(char.IsAsciiDigit);

    /// <summary>JPEG by extension, as the gateway checks (<c>.jpg</c> / <c>.jpeg</c>, any case).</summary>
    public static bool HasJpegExtension(string path) =>
        Path.GetExtension(path).ToUpperInvariant() is ".JPG" or ".JPEG";
}
