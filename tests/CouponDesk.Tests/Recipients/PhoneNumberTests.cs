using CouponDesk.Features.Recipients;

namespace CouponDesk.Tests.Recipients;

public sealed class PhoneNumberTests
{
    [Theory]
    [InlineData("010-0000-1234")]
    [InlineData("01000001234")]
    [InlineData("+82 10-0000-1234")]
    [InlineData("+821000001234")]
    [InlineData("82 10 0000 1234")]
    [InlineData("  010 0000 1234  ")]
    [InlineData("(010) 0000.1234")]
    [InlineData("1000001234")]
    [InlineData("010\t0000\u00A01234")]
    public void Accepted_spellings_normalise_to_eleven_digits(string input)
    {
        var result = PhoneNumber.Normalize(input);

        Assert.Null(result.Error);
        Assert.Equal("01000001234", result.Normalized);
    }

    [Theory]
    [InlineData("011-0000-1234", RecipientErrorCode.InvalidPhoneFormat)]
    [InlineData("010-0000-123", RecipientErrorCode.InvalidPhoneFormat)]
    [InlineData("010-0000-12345", RecipientErrorCode.InvalidPhoneFormat)]
    [InlineData("", RecipientErrorCode.InvalidPhoneFormat)]
    [InlineData("0212345678", RecipientErrorCode.InvalidPhoneFormat)]
    [InlineData("010-0000-12a4", RecipientErrorCode.InvalidCharacters)]
    [InlineData("=1+01000001234", RecipientErrorCode.InvalidCharacters)]
    [InlineData("010\u00000001234", RecipientErrorCode.InvalidCharacters)]
    [InlineData("010-0000-1234\u0007", RecipientErrorCode.InvalidCharacters)]
    [InlineData("010+0000+1234", RecipientErrorCode.InvalidCharacters)]
    public void Anything_else_is_an_error_with_its_reason(string input, RecipientErrorCode expected)
    {
        var result = PhoneNumber.Normalize(input);

        Assert.Null(result.Normalized);
        Assert.Equal(expected, result.Error);
    }

    [Fact]
    public void A_very_long_digit_run_is_refused_without_overflow() =>
        Assert.Equal(RecipientErrorCode.InvalidPhoneFormat, PhoneNumber.Normalize(new string('1', 10_000)).Error);

    [Fact]
    public void Masking_keeps_the_prefix_and_last_four() => Assert.Equal("010-****-1234", PhoneNumber.Mask("01000001234"));
}
