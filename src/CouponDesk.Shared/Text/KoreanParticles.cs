namespace CouponDesk.Shared.Text;

/// <summary>
/// The object particle after a word: 을 after a final consonant (받침), 를 after a vowel ("아메리카노를",
/// "글레이즈드 6개를", "쿠폰을"). Digits and Latin letters are read as a Korean speaker reads them aloud; closing
/// brackets and quotes are skipped ("라떼(ICE)" is read up to the last letter inside). When the sound cannot be told,
/// the neutral "을(를)".
/// </summary>
public static class KoreanParticles
{
    private const char FirstSyllable = '가';
    private const char LastSyllable = '힣';

    /// <summary><paramref name="word"/> followed by 을 or 를 (or "을(를)" when unknown).</summary>
    public static string WithObject(string word) => word + ObjectParticle(word);

    public static string ObjectParticle(string word) => HasFinalConsonant(word) switch
    {
        true => "을",
        false => "를",
        null => "을(를)",
    };

    /// <summary>True when the last sounded character ends in a consonant, false for a vowel, null when it cannot be told.</summary>
    public static bool? HasFinalConsonant(string? word)
    {
        if (string.IsNullOrEmpty(word))
        {
            return null;
        }

        for (var i = word.Length - 1; i >= 0; i--)
        {
            var c = word[i];
            if (c is ')' or ']' or '}' or '"' or '\'' or '」' or '』' or '》' or '〉' or ' ' or '.' or '!' or '?' or '~')
            {
                continue;
            }

            if (c is >= FirstSyllable and <= LastSyllable)
            {
                return (c - FirstSyllable) % 28 != 0;
            }

            // Digits as read aloud: 영 일 이 삼 사 오 육 칠 팔 구; a final 0 is 영, 십, 백, 천 or 만 — a consonant every time.
            if (c is >= '0' and <= '9')
            {
                return c is '0' or '1' or '3' or '6' or '7' or '8';
            }

            // Latin letters as read aloud: 엘, 엠, 엔, 알 end in a consonant; the rest (에이, 비, 씨 …) in a vowel.
            if (char.IsAsciiLetter(c))
            {
                return char.ToUpperInvariant(c) is 'L' or 'M' or 'N' or 'R';
            }

            return null;
        }

        return null;
    }
}
