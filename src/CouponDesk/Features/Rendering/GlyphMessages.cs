namespace CouponDesk.Features.Rendering;

internal static class GlyphMessages
{
    /// <summary>"상품명에 이미지에 표시할 수 없는 문자가 있습니다: ♨, 🎁" — names the characters so the operator can fix the text.</summary>
    public static string Missing(string label, IReadOnlyList<string> characters) =>
        $"{label}에 쿠폰 이미지에 표시할 수 없는 문자가 있습니다: {string.Join(", ", characters.Take(10).Select(Describe))}";

    private static string Describe(string character) =>
        character.Length > 0 && char.IsControl(character, 0) || char.GetUnicodeCategory(character, 0) == System.Globalization.UnicodeCategory.Format
            ? $"U+{char.ConvertToUtf32(character, 0):X4}"
            : character;
}
