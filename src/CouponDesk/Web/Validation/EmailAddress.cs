using System.Text.RegularExpressions;

namespace CouponDesk.Web.Validation;

/// <summary>
/// The one e-mail rule of the product (사용자관리 and 발송등록 alike — issue 14): an ASCII address
/// <c>local@domain.tld</c>, the local part of RFC 5322 atoms (letters, digits and <c>!#$%&amp;'*+/=?^_`{|}~-</c>, dots
/// between them) up to 64 characters, a domain of letters, digits and hyphens with a top-level part of two or more,
/// at most <c>maxLength</c> characters in all. So <c>&lt;script&gt;@x.com</c>, spaces, quotes and control characters are
/// refused everywhere. The page's hint (<c>CD.isEmail</c> in core.js) uses the same pattern.
/// </summary>
public static partial class EmailAddress
{
    public static bool IsValid(string? value, int maxLength = 254) =>
        value is not null && value.Length <= maxLength && value.IndexOf('@') is > 0 and <= 64 && Pattern().IsMatch(value);

    [GeneratedRegex(@"^[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+(?:\.[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+)*@(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.)+[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])$", RegexOptions.CultureInvariant)]
    private static partial Regex Pattern();
}
