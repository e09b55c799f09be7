using System.Text;
using System.Text.RegularExpressions;

namespace CouponDesk.Shared.Logging;

/// <summary>
/// Masks Korean mobile numbers and coupon numbers in free text (log lines, exception messages, alerts).
/// This is the last line of defence: code should log masked values or ids in the first place.
/// </summary>
public static partial class SensitiveDataMasker
{
    // 010-1234-5678, 01012345678, 010 1234 5678, +82 10-1234-5678, +821012345678.
    [GeneratedRegex(@"(?:\+82[-. ]?0?|(?<![0-9])0)(1[016789])[-. ]?([0-9]{3,4})[-. ]?([0-9]{4})(?![0-9])", RegexOptions.CultureInvariant)]
    private static partial Regex MobileNumber();

    // Coupon numbers are opaque strings of up to 30 characters; in practice long digit runs (COUFUN issues 12+ digits).
    // Any run of 10 or more digits, optionally grouped by single spaces or hyphens, is treated as one.
    [GeneratedRegex(@"(?<![0-9A-Za-z])[0-9](?:[- ]?[0-9]){9,29}(?![0-9A-Za-z])", RegexOptions.CultureInvariant)]
    private static partial Regex LongDigitRun();

    public static string Mask(string? text)
    {
        if (string.IsNullOrEmpty(text))
        {
            return text ?? string.Empty;
        }

        var masked = MobileNumber().Replace(text, m => $"0{m.Groups[1].Value}-****-{m.Groups[3].Value}");
        return LongDigitRun().Replace(masked, m => MaskCouponNumber(m.Value));
    }

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
