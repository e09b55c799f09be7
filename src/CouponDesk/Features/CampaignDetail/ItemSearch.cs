using CouponDesk.Security.Pii;

namespace CouponDesk.Features.CampaignDetail;

/// <summary>
/// The recipient table's search key (spec §3.3.3, rules of §3.4.1): a full coupon number, its last 4 characters, or a
/// full mobile number — exact matches only, found through blind indexes (and the stored last 4 for the short form), so
/// a search never decrypts the campaign. Spaces and hyphens are ignored, letters upper-cased.
/// </summary>
public sealed record ItemSearch(string? Last4, byte[]? CouponIndex, byte[]? PhoneIndex)
{
    public const int MaxInputLength = 40;
    public const int MaxCouponLength = 30;

    /// <summary>The masked form of what was searched, for the audit log (never the clear key).</summary>
    public required string MaskedKey { get; init; }

    public static ItemSearch? Parse(string? q, PiiProtector pii, out string? error)
    {
        error = null;
        if (string.IsNullOrWhiteSpace(q))
        {
            return null;
        }

        if (q.Length > MaxInputLength)
        {
            error = $"검색어는 {MaxInputLength}자까지 입력할 수 있습니다.";
            return null;
        }

        var key = PiiNormalization.CouponNumber(q.Trim());
        if (key.Length == 0 || !key.All(char.IsAsciiLetterOrDigit))
        {
            error = "쿠폰번호 또는 휴대폰 번호는 영문과 숫자로만 입력하세요.";
            return null;
        }

        if (key.Length == 4)
        {
            return new ItemSearch(key, null, null) { MaskedKey = "****" + key };
        }

        if (key.Length < 4 || key.Length > MaxCouponLength)
        {
            error = "쿠폰번호 전체, 쿠폰번호 끝 4자리 또는 휴대폰 번호 전체를 입력하세요.";
            return null;
        }

        // An 010 mobile number may also be a coupon number's spelling: both indexes are asked, still exact matches.
        var phoneIndex = IsMobile(key) ? pii.PhoneBlindIndex(key) : null;
        return new ItemSearch(null, pii.CouponBlindIndex(key), phoneIndex)
        {
            MaskedKey = phoneIndex is null ? Security.Masking.Masking.CouponNumber(key) : Security.Masking.Masking.Phone(key),
        };
    }

    private static bool IsMobile(string key) => key.Length is 10 or 11 && key.StartsWith("01", StringComparison.Ordinal) && key.All(char.IsAsciiDigit);
}
