namespace CouponDesk.Features.Recipients;

/// <summary>
/// Recipient mobile numbers (spec §3.2.3, §9 #4): after normalisation exactly <c>010</c> + 8 digits. Normalisation
/// removes hyphens, spaces, dots and brackets, turns <c>+82 10…</c> / <c>8210…</c> into <c>010…</c>, and gives back the
/// leading zero Excel drops from a 10-digit <c>10…</c> value. Anything else is an error, never guessed.
/// </summary>
public static class PhoneNumber
{
    public static PhoneCheck Normalize(string? raw)
    {
        var text = raw?.Trim() ?? "";
        if (text.Length == 0)
        {
            return new PhoneCheck(null, RecipientErrorCode.InvalidPhoneFormat);
        }

        Span<char> digits = stackalloc char[Math.Min(text.Length, 64)];
        var count = 0;
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (c is >= '0' and <= '9')
            {
                if (count == digits.Length)
                {
                    return new PhoneCheck(null, RecipientErrorCode.InvalidPhoneFormat);
                }

                digits[count++] = c;
            }
            else if (c == '+' && i == 0)
            {
                continue;
            }
            else if (!IsSeparator(c))
            {
                // Letters, control characters, formulas' '=' and the like: not a number at all.
                return new PhoneCheck(null, RecipientErrorCode.InvalidCharacters);
            }
        }

        var value = new string(digits[..count]);
        if (value.StartsWith("8210", StringComparison.Ordinal))
        {
            value = "0" + value[2..];
        }
        else if (value.Length == 10 && value.StartsWith("10", StringComparison.Ordinal))
        {
            value = "0" + value;
        }

        return IsValid(value) ? new PhoneCheck(value, null) : new PhoneCheck(null, RecipientErrorCode.InvalidPhoneFormat);
    }

    /// <summary>Exactly the stored form <c>010########</c>.</summary>
    public static bool IsValid(string value) =>
        value.Length == 11 && value.StartsWith("010", StringComparison.Ordinal) && value.All(char.IsAsciiDigit);

    /// <summary><c>010-****-1234</c> (spec §7.3).</summary>
    public static string Mask(string normalized) => $"{normalized[..3]}-****-{normalized[^4..]}";

    private static bool IsSeparator(char c) => c is '-' or ' ' or '.' or '(' or ')' or '\u00A0' or '\t';
}

public readonly record struct PhoneCheck(string? Normalized, RecipientErrorCode? Error);
