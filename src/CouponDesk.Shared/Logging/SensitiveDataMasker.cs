using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace CouponDesk.Shared.Logging;

/// <summary>
/// Masks Korean mobile numbers and coupon numbers in free text (log lines, exception messages, alerts).
/// This is the last line of defence: code should log masked values or ids in the first place.
/// </summary>
public static partial class SensitiveDataMasker
{
    // 010-0000-0071, 01000000071, 010 0000 0071, +82 10-0000-0071, +821000000071 (test block 010-0000-xxxx).
    [GeneratedRegex(@"(?:\+82[-. ]?0?|(?<![0-9])0)(1[016789])[-. ]?([0-9]{3,4})[-. ]?([0-9]{4})(?![0-9])", RegexOptions.CultureInvariant)]
    private static partial Regex MobileNumber();

    // Coupon numbers are opaque strings of up to 30 characters; in practice long digit runs (COUFUN issues 12+ digits).
    // Any run of 10 or more digits, optionally grouped by single spaces or hyphens, is treated as one.
    [GeneratedRegex(@"(?<![0-9A-Za-z])[0-9](?:[- ]?[0-9]){9,29}(?![0-9A-Za-z])", RegexOptions.CultureInvariant)]
    private static partial Regex LongDigitRun();

    // What labels a value as an order id or TR_ID just before it: ORDER_ID=…, "orderId":"…", TR_ID …, 주문ID: ….
    [GeneratedRegex(@"(?:ORDER_?ID|TR_?ID|CLIENT_?KEY|주문\s?ID|주문\s?번호)[""']?\s*[:=]?\s*[""']?$", RegexOptions.CultureInvariant | RegexOptions.IgnoreCase)]
    private static partial Regex OrderLabel();

    // An amount: digits followed by 원 (or preceded by ₩ / KRW).
    [GeneratedRegex(@"^\s?원", RegexOptions.CultureInvariant)]
    private static partial Regex WonAfter();

    [GeneratedRegex(@"(?:₩|KRW)\s?$", RegexOptions.CultureInvariant)]
    private static partial Regex WonBefore();

    private static readonly string[] StampFormats = ["yyyyMMddHH", "yyyyMMddHHmm", "yyyyMMddHHmmss", "yyyyMMddHHmmssfff"];

    public static string Mask(string? text)
    {
        if (string.IsNullOrEmpty(text))
        {
            return text ?? string.Empty;
        }

        var masked = MobileNumber().Replace(text, m => $"0{m.Groups[1].Value}-****-{m.Groups[3].Value}");
        return LongDigitRun().Replace(masked, m => IsNotPersonal(masked, m) ? m.Value : MaskCouponNumber(m.Value));
    }

    /// <summary>
    /// Long digit runs that are not personal data (issue 14: a file name's <c>202612071435</c> once became
    /// <c>**** **** 1435</c>): a date-time stamp of this century (<c>yyyyMMddHHmm</c>, with seconds and milliseconds,
    /// or <c>2026-12-07 14</c> of a formatted time), an amount in won, a value labelled as an order id, TR_ID or client key.
    /// A coupon number that happens to read as a valid stamp stays visible — an accepted edge of a last-line-of-defence
    /// rule; code masks coupon numbers where it knows them.
    /// </summary>
    private static bool IsNotPersonal(string text, Match m)
    {
        var digits = new string(m.Value.Where(char.IsAsciiDigit).ToArray());
        if (IsStamp(digits))
        {
            return true;
        }

        var end = m.Index + m.Length;
        if (WonAfter().IsMatch(text.AsSpan(end, Math.Min(2, text.Length - end))) || WonBefore().IsMatch(text.AsSpan(Math.Max(0, m.Index - 4), Math.Min(4, m.Index))))
        {
            return true;
        }

        var start = Math.Max(0, m.Index - 16);
        return OrderLabel().IsMatch(text.AsSpan(start, m.Index - start));
    }

    private static bool IsStamp(string digits) =>
        digits.Length is 10 or 12 or 14 or 17
        && digits.StartsWith("20", StringComparison.Ordinal)
        && DateTime.TryParseExact(digits, StampFormats, CultureInfo.InvariantCulture, DateTimeStyles.None, out _);

    /// <summary>Every character but the last 4 replaced by '*', grouped in fours from the right: <c>**** **** 1234</c>.</summary>
    public static string MaskCouponNumber(string couponNumber)
    {
        var compact = new StringBuilder(couponNumber.Length);
        foreach (var c in couponNumber)
        {
            if (c is not (' ' or '-'))
            {
                compact.Append(c);
            }
        }

        var visible = Math.Min(4, compact.Length);
        var hidden = compact.Length - visible;
        var chars = new string('*', hidden) + compact.ToString(hidden, visible);
        var grouped = new StringBuilder(chars.Length + (chars.Length / 4));
        var firstGroup = chars.Length % 4;
        for (var i = 0; i < chars.Length; i++)
        {
            if (i > 0 && (i - firstGroup) % 4 == 0)
            {
                grouped.Append(' ');
            }

            grouped.Append(chars[i]);
        }

        return grouped.ToString();
    }
}
