using CouponDesk.Shared.Text;

namespace CouponDesk.Tests.Campaigns;

/// <summary>The object particle of the 저장/발송 confirmation (issue 14 point 7: "6개을(를)" → "6개를").</summary>
public sealed class KoreanParticlesTests
{
    [Theory]
    [InlineData("오리지널 글레이즈드 6개", "오리지널 글레이즈드 6개를")]
    [InlineData("아메리카노", "아메리카노를")]
    [InlineData("모바일 금액권 3만원", "모바일 금액권 3만원을")]
    [InlineData("단팥빵 3개", "단팥빵 3개를")]
    [InlineData("케이크 (홀)", "케이크 (홀)을")]
    [InlineData("아메리카노 Tall", "아메리카노 Tall을")]
    [InlineData("카페라떼 ICE", "카페라떼 ICE를")]
    [InlineData("기프티콘 10", "기프티콘 10을")]
    [InlineData("세트 2", "세트 2를")]
    [InlineData("\"쿠폰\"", "\"쿠폰\"을")]
    [InlineData("★★★", "★★★을(를)")]
    [InlineData("", "을(를)")]
    public void The_particle_follows_the_last_sound(string word, string expected) =>
        Assert.Equal(expected, KoreanParticles.WithObject(word));
}
