using System.Globalization;
using CouponDesk.Security.Pii;
using CouponDesk.Shared.Logging;

namespace CouponDesk.Security.Masking;

/// <summary>
/// The masking formats of spec §7.3, used by every screen, export, API answer and alert. Masking happens on the server:
/// the browser never receives a clear value unless a reveal was authorised and audited.
/// </summary>
public static class Masking
{
    private const string Hidden = "****";

    /// <summary><c>010-****-1234</c>; other numbers keep their first group (<c>02-****-5678</c>), 8-digit <c>1588-****</c> numbers only the first group.</summary>
    public static string Phone(string? phone)
    {
        if (string.IsNullOrWhiteSpace(phone))
        {
            return "";
        }

        var digits = PiiNormalization.Phone(phone);
        if (digits.Length == 8 && digits[0] == '1')
        {
            return $"{digits[..4]}-{Hidden}";
        }

        if (digits.Length < 8)
        {
            return Hidden;
        }

        var firstGroup = digits.StartsWith("02", StringComparison.Ordinal) ? 2 : 3;
        return $"{digits[..firstGroup]}-{Hidden}-{digits[^4..]}";
    }

    /// <summary>Every character but the last 4 replaced by <c>*</c>, grouped in fours from the right: <c>**** **** 1234</c>.</summary>
    public static string CouponNumber(string? couponNumber) =>
        string.IsNullOrWhiteSpace(couponNumber) ? "" : SensitiveDataMasker.MaskCouponNumber(couponNumber.Trim());

    /// <summary>First and last character kept: <c>홍*동</c>, <c>남궁**</c>… two characters <c>홍*</c>, one <c>*</c>.</summary>
    public static string Name(string? name)
    {
        if (string.IsNullOrWhiteSpace(name))
        {
            return "";
        }

        var elements = TextElements(name.Trim());
        return elements.Count switch
        {
            1 => "*",
            2 => elements[0] + "*",
            _ => elements[0] + new string('*', elements.Count - 2) + elements[^1],
        };
    }

    /// <summary>First character of the local part, three stars whatever its length, the domain unchanged: <c>u***@example.com</c>.</summary>
    public static string Email(string? email)
    {
        if (string.IsNullOrWhiteSpace(email))
        {
            return "";
        }

        var at = email.LastIndexOf('@');
        if (at <= 0)
        {
            return "***";
        }

        return $"{TextElements(email)[0]}***{email[at..]}";
    }

    private static List<string> TextElements(string text)
    {
        var list = new List<string>();
        var enumerator = StringInfo.GetTextElementEnumerator(text);
        while (enumerator.MoveNext())
        {
            list.Add(enumerator.GetTextElement());
        }

        return list;
    }
}
