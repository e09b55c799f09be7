using System.Text;

namespace CouponDesk.Security.Pii;

/// <summary>Fixed purposes of the blind indexes: equal strings of different kinds never share an index value.</summary>
public static class BlindIndexPurposes
{
    public const string Phone = "phone";
    public const string Coupon = "coupon";
}

/// <summary>The one normal form each searchable value is indexed in, so every spelling of a value finds it.</summary>
public static class PiiNormalization
{
    /// <summary>Digits only; an international <c>82</c> prefix becomes the domestic leading 0 (<c>+82 10-…</c> → <c>010…</c>).</summary>
    public static string Phone(string phone)
    {
        var digits = new StringBuilder(phone.Length);
        foreach (var c in phone)
        {
            if (char.IsAsciiDigit(c))
            {
                digits.Append(c);
            }
        }

        var text = digits.ToString();
        if (text.StartsWith("82", StringComparison.Ordinal) && text.Length >= 11)
        {
            text = "0" + text[2..].TrimStart('0');
        }

        return text;
    }

    /// <summary>Spaces and hyphens removed, letters upper-cased (coupon numbers may contain letters — spec §9 #61).</summary>
    public static string CouponNumber(string couponNumber)
    {
        var compact = new StringBuilder(couponNumber.Length);
        foreach (var c in couponNumber)
        {
            if (c is not (' ' or '-'))
            {
                compact.Append(char.ToUpperInvariant(c));
            }
        }

        return compact.ToString();
    }
}
