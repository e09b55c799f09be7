using System.Globalization;
using System.Text;

namespace CouponDesk.Web.Validation;

/// <summary>
/// The one rule for every free-text field a person types (names, titles, reasons, memos, descriptions — issue 14):
/// no control characters (a multi-line field keeps its line breaks and tabs), no invisible format characters — above all
/// the bidi embeddings, overrides and isolates U+202A–U+202E and U+2066–U+2069 that make text read differently from what
/// is stored — and no broken characters (lone surrogates, U+FFFD). They would corrupt screens, logs, CSV exports and
/// audit rows, so the value is refused with a Korean message that names the character, never silently cleaned.
/// </summary>
public static class FreeText
{
    /// <summary>The Korean field message for the first character <paramref name="label"/> may not hold, or null.</summary>
    public static string? Check(string? value, string label, bool multiline = false) =>
        FindForbidden(value, multiline) is { } found ? $"{label}에 사용할 수 없는 문자({found.Kind}, {found.CodePoint})가 있습니다. 지우고 다시 입력해 주세요." : null;

    /// <summary>The first forbidden character with its kind ("제어 문자" …) and <c>U+XXXX</c>, or null.</summary>
    public static (string Kind, string CodePoint)? FindForbidden(string? value, bool multiline = false)
    {
        if (string.IsNullOrEmpty(value))
        {
            return null;
        }

        var index = 0;
        while (index < value.Length)
        {
            if (Rune.DecodeFromUtf16(value.AsSpan(index), out var rune, out var consumed) != System.Buffers.OperationStatus.Done)
            {
                return ("깨진 문자", CodePoint(value[index]));
            }

            if (Kind(rune, multiline) is { } kind)
            {
                return (kind, CodePoint(rune.Value));
            }

            index += consumed;
        }

        return null;
    }

    /// <summary>The bidi controls that reorder text on screen: embeddings/overrides U+202A–U+202E, isolates U+2066–U+2069.</summary>
    public static bool IsBidiControl(int c) => c is (>= 0x202A and <= 0x202E) or (>= 0x2066 and <= 0x2069);

    private static string? Kind(Rune rune, bool multiline)
    {
        var c = rune.Value;
        if (multiline && c is '\n' or '\r' or '\t')
        {
            return null;
        }

        if (c is '\n' or '\r')
        {
            return "줄바꿈";
        }

        if (Rune.IsControl(rune))
        {
            return "제어 문자";
        }

        if (IsBidiControl(c))
        {
            return "글자 방향 제어 문자";
        }

        if (c == 0xFFFD)
        {
            return "깨진 문자";
        }

        return Rune.GetUnicodeCategory(rune) == UnicodeCategory.Format ? "보이지 않는 서식 문자" : null;
    }

    private static string CodePoint(int c) => "U+" + c.ToString("X4", CultureInfo.InvariantCulture);
}
