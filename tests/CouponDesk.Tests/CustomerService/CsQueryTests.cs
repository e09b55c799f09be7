using CouponDesk.Features.CustomerService;
using CouponDesk.Security.Pii;
using CouponDesk.TestSupport;

namespace CouponDesk.Tests.CustomerService;

/// <summary>The C/S search keys (spec §3.4.1): exact keys only, Korean messages for what is not one.</summary>
public sealed class CsQueryTests
{
    private static readonly PiiProtector Pii = new(new PiiOptions { ActiveKeyVersion = 1, BlindIndexKey = TestKeys.BlindIndexKey, Keys = { ["1"] = TestKeys.EncryptionKeyV1 } });

    [Theory]
    [InlineData("010-0000-0001", null, "010-****-0001")]
    [InlineData(" 010 0000 0001 ", null, "010-****-0001")]
    [InlineData("+82 10-0000-0001", null, "010-****-0001")]
    [InlineData(null, "9000-0000-0123", "**** **** 0123")]
    [InlineData(null, "ab12cd34ef", "** **** 34EF")]
    [InlineData("01000000001", "0123", "010-****-0001 + ****0123")]
    [InlineData("01000000001", "**** **** 0123", "010-****-0001 + ****0123")]
    public void Keys_are_normalised_and_masked_for_the_audit(string? phone, string? coupon, string masked)
    {
        var query = CsQuery.Parse(phone, coupon, Pii, out var error);
        Assert.Null(error);
        Assert.Equal(masked, query!.MaskedKey);
    }

    [Fact]
    public void The_same_number_in_any_spelling_has_one_index()
    {
        var a = CsQuery.Parse("010-0000-0001", null, Pii, out _)!;
        var b = CsQuery.Parse("01000000001", null, Pii, out _)!;
        Assert.Equal(a.PhoneIndex, b.PhoneIndex);
        Assert.Equal(CsQuery.Parse(null, "9000 0000 0123", Pii, out _)!.CouponIndex, CsQuery.Parse(null, "900000000123", Pii, out _)!.CouponIndex);
        Assert.Equal(Pii.CouponBlindIndex("AB12CD34EF"), CsQuery.Parse(null, "ab12-cd34-ef", Pii, out _)!.CouponIndex);
    }

    [Theory]
    [InlineData(null, null, "query", "쿠폰번호 또는 휴대폰 번호를 입력하세요.")]
    [InlineData("  ", "", "query", "쿠폰번호 또는 휴대폰 번호를 입력하세요.")]
    [InlineData("0212345678", null, "phone", "휴대폰 번호 형식이 올바르지 않습니다.")]
    [InlineData("010-0000-00", null, "phone", "휴대폰 번호 형식이 올바르지 않습니다.")]
    [InlineData("010000000012", null, "phone", "휴대폰 번호 형식이 올바르지 않습니다.")]
    [InlineData("010-0000-000a", null, "phone", "휴대폰 번호 형식이 올바르지 않습니다.")]
    [InlineData("010-0000-0001'; DROP TABLE coupons;--", null, "phone", "휴대폰 번호 형식이 올바르지 않습니다.")]
    [InlineData(null, "0123", "couponNumber", "쿠폰번호 끝 4자리로 조회하려면 휴대폰 번호를 함께 입력하세요.")]
    [InlineData(null, "123", "couponNumber", "쿠폰번호는 영문과 숫자로 전체 또는 끝 4자리를 입력하세요.")]
    [InlineData(null, "9000%0000", "couponNumber", "쿠폰번호는 영문과 숫자로 전체 또는 끝 4자리를 입력하세요.")]
    [InlineData(null, "9000000001234567890123456789012", "couponNumber", "쿠폰번호는 영문과 숫자로 전체 또는 끝 4자리를 입력하세요.")]
    [InlineData(null, "**12", "couponNumber", "쿠폰번호는 영문과 숫자로 전체 또는 끝 4자리를 입력하세요.")]
    [InlineData(null, "쿠폰번호1234", "couponNumber", "쿠폰번호는 영문과 숫자로 전체 또는 끝 4자리를 입력하세요.")]
    public void Anything_else_is_refused_with_a_korean_message(string? phone, string? coupon, string field, string message)
    {
        Assert.Null(CsQuery.Parse(phone, coupon, Pii, out var error));
        Assert.Equal((field, message), (error!.Field, error.Message));
    }

    [Fact]
    public void Cursors_round_trip_and_hostile_ones_are_refused()
    {
        var cursor = new CsCursor(new DateTime(2026, 12, 1, 1, 2, 3, DateTimeKind.Utc), 42);
        Assert.True(CsCursor.TryParse(cursor.ToString(), out var back));
        Assert.Equal(cursor, back);
        foreach (var bad in new[] { "", "1", "x_1", "1_0", "1_-5", "-1_5", "99999999999999999999_1", "1_2_3", new string('1', 60) })
        {
            Assert.False(CsCursor.TryParse(bad, out _), bad);
        }
    }
}
