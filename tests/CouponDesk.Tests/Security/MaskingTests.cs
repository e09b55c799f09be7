using CouponDesk.Security.Masking;

namespace CouponDesk.Tests.Security;

public sealed class MaskingTests
{
    [Theory]
    [InlineData("01000001234", "010-****-1234")]
    [InlineData("010-0000-1234", "010-****-1234")]
    [InlineData("+82 10-0000-1234", "010-****-1234")]
    [InlineData("0212345678", "02-****-5678")]
    [InlineData("15881234", "1588-****")]
    [InlineData("0311234567", "031-****-4567")]
    [InlineData("123", "****")]
    [InlineData("", "")]
    public void Phone_numbers(string input, string expected) => Assert.Equal(expected, Masking.Phone(input));

    [Theory]
    [InlineData("123456789012", "**** **** 9012")]
    [InlineData("AB12CD34EF56GH", "** **** **** 56GH")]
    [InlineData("1234", "1234")]
    public void Coupon_numbers_keep_the_last_four(string input, string expected) => Assert.Equal(expected, Masking.CouponNumber(input));

    [Theory]
    [InlineData("홍길동", "홍*동")]
    [InlineData("남궁민수", "남**수")]
    [InlineData("홍길", "홍*")]
    [InlineData("홍", "*")]
    [InlineData("Kim Lee", "K*****e")]
    public void Names_keep_first_and_last(string input, string expected) => Assert.Equal(expected, Masking.Name(input));

    [Theory]
    [InlineData("hong@example.com", "h***@example.com")]
    [InlineData("a@b.kr", "a***@b.kr")]
    [InlineData("broken", "***")]
    public void Emails_hide_the_local_part_and_its_length(string input, string expected) => Assert.Equal(expected, Masking.Email(input));
}
