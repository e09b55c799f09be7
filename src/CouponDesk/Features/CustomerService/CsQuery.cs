using CouponDesk.Features.Recipients;
using CouponDesk.Security.Masking;
using CouponDesk.Security.Pii;

namespace CouponDesk.Features.CustomerService;

/// <summary>
/// A C/S search (spec §3.4.1): a full phone number, a full coupon number, or a coupon's last 4 characters together
/// with a phone — exact matches through the keyed blind indexes, never a substring. Coupon input loses spaces and
/// hyphens and is upper-cased; a masked spelling such as <c>**** **** 1234</c> counts as its last 4.
/// </summary>
public sealed record CsQuery(byte[]? PhoneIndex, byte[]? CouponIndex, string? Last4)
{
    public const int MaxPhoneInput = 20;
    public const int MaxCouponInput = 40;
    public const int MaxCouponLength = 30;

    /// <summary>What was searched, masked, for the audit log.</summary>
    public required string MaskedKey { get; init; }

    public static CsQuery? Parse(string? phone, string? couponNumber, PiiProtector pii, out CsQueryError? error)
    {
        error = null;
        phone = phone?.Trim();
        couponNumber = couponNumber?.Trim();
        if (string.IsNullOrEmpty(phone) && string.IsNullOrEmpty(couponNumber))
        {
            error = new("query", "query_required", "쿠폰번호 또는 휴대폰 번호를 입력하세요.");
            return null;
        }

        string? normalizedPhone = null;
        if (!string.IsNullOrEmpty(phone))
        {
            normalizedPhone = phone.Length <= MaxPhoneInput ? PhoneNumber.Normalize(phone).Normalized : null;
            if (normalizedPhone is null)
            {
                error = new("phone", "invalid_phone", "휴대폰 번호 형식이 올바르지 않습니다.");
                return null;
            }
        }

        string? full = null;
        string? last4 = null;
        if (!string.IsNullOrEmpty(couponNumber))
        {
            var key = couponNumber.Length <= MaxCouponInput ? PiiNormalization.CouponNumber(couponNumber) : "";
            if (key.Contains('*', StringComparison.Ordinal))
            {
                // A masked spelling: only its last 4 characters are a search key.
                var tail = key.TrimStart('*');
                key = tail.Length == 4 && !tail.Contains('*', StringComparison.Ordinal) ? tail : "";
            }

            if (key.Length < 4 || key.Length > MaxCouponLength || !key.All(char.IsAsciiLetterOrDigit))
            {
                error = new("couponNumber", "invalid_coupon_number", "쿠폰번호는 영문과 숫자로 전체 또는 끝 4자리를 입력하세요.");
                return null;
            }

            if (key.Length == 4)
            {
                if (normalizedPhone is null)
                {
                    error = new("couponNumber", "last4_needs_phone", "쿠폰번호 끝 4자리로 조회하려면 휴대폰 번호를 함께 입력하세요.");
                    return null;
                }

                last4 = key;
            }
            else
            {
                full = key;
            }
        }

        var masked = string.Join(" + ", new[]
        {
            normalizedPhone is null ? null : Masking.Phone(normalizedPhone),
            full is not null ? Masking.CouponNumber(full) : last4 is not null ? "****" + last4 : null,
        }.Where(x => x is not null));
        return new CsQuery(
            normalizedPhone is null ? null : pii.PhoneBlindIndex(normalizedPhone),
            full is null ? null : pii.CouponBlindIndex(full),
            last4)
        { MaskedKey = masked };
    }
}

/// <summary>A refused search: the field, a stable code and the Korean message.</summary>
public sealed record CsQueryError(string Field, string Code, string Message);
