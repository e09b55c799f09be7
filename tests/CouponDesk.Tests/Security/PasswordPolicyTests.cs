using CouponDesk.Features.Users;

namespace CouponDesk.Tests.Security;

public sealed class PasswordPolicyTests
{
    [Theory]
    [InlineData("Short1!")] // 7 characters
    [InlineData("abcdefgh")] // 8–9 characters need 3 classes
    [InlineData("qwxz7391")] // only 2 classes at 8
    [InlineData("onlylowercase")] // 10+ need 2 classes
    [InlineData("Has Space12!")] // spaces are not allowed
    [InlineData("Hangul가나다12!")] // printable ASCII only
    public void Length_characters_and_composition_follow_the_spec(string password) =>
        Assert.Equal(PasswordPolicy.RulesMessage, PasswordPolicy.Check(password, "someone"));

    [Fact]
    public void The_upper_limit_is_64_characters()
    {
        var sixtyFour = string.Concat(Enumerable.Repeat("Ab3$xY7!", 8));
        Assert.Null(PasswordPolicy.Check(sixtyFour, "someone"));
        Assert.Equal(PasswordPolicy.RulesMessage, PasswordPolicy.Check(sixtyFour + "q", "someone"));
    }

    [Theory]
    [InlineData("Kim2026!Someone", "someone", "로그인 ID")]
    [InlineData("Zz1111!rpx", "someone", "연속된 문자")]
    [InlineData("Qwabcd!9xt", "someone", "연속된 문자")]
    [InlineData("q1w2e3r4t5y6", "someone", "흔한 비밀번호")]
    [InlineData("Password123", "someone", "흔한 비밀번호")]
    public void Forbidden_patterns_are_named(string password, string loginId, string expected) =>
        Assert.Contains(expected, PasswordPolicy.Check(password, loginId));

    [Fact]
    public void The_new_password_must_differ_from_the_current_one() =>
        Assert.Contains("현재 비밀번호", PasswordPolicy.Check("Quiet-River-2047", "someone", "Quiet-River-2047"));

    [Fact]
    public void The_shipped_list_has_3000_entries_and_generated_passwords_pass()
    {
        Assert.Equal(3000, PasswordPolicy.CommonPasswordCount);
        for (var i = 0; i < 200; i++)
        {
            Assert.Null(PasswordPolicy.Check(PasswordGenerator.Generate(), "someone"));
        }
    }
}
