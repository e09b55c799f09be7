using System.Net;
using CouponDesk.Security;

namespace CouponDesk.Tests.Campaigns;

/// <summary>
/// <c>GET /api/campaigns/send-time</c> (issue 14 point 4): the times the 발송 예약일시 picker may offer — the earliest on a
/// 5-minute step, from the same lead the submit check uses — and a refusal for a malformed recipient count.
/// </summary>
public sealed class SendTimeWindowTests(CampaignTestFactory factory) : IClassFixture<CampaignTestFactory>
{
    [Fact]
    public async Task The_window_starts_at_now_plus_the_lead_on_a_five_minute_step()
    {
        var client = await factory.CreateClientAsync(Roles.Operator);
        try
        {
            var window = await CampaignApi.ReadAsync(await client.GetAsync("/api/campaigns/send-time"), HttpStatusCode.OK);
            Assert.Equal("2026-11-25 10:10", window.GetProperty("earliest").GetString());
            Assert.Equal(10, window.GetProperty("leadMinutes").GetInt32());
            Assert.Equal("2027-02-23 10:00", window.GetProperty("latest").GetString());
            Assert.Equal(5, window.GetProperty("stepMinutes").GetInt32());
            Assert.Equal((21, 8, false), (window.GetProperty("nightStartHour").GetInt32(), window.GetProperty("nightEndHour").GetInt32(), window.GetProperty("nightBlocked").GetBoolean()));

            // Off the step: 10:02:30 + 10 min is 10:12:30, offered from 10:15 (never earlier than the rule).
            factory.Clock.Set(CampaignTestFactory.DefaultNow.AddSeconds(150));
            window = await CampaignApi.ReadAsync(await client.GetAsync("/api/campaigns/send-time"), HttpStatusCode.OK);
            Assert.Equal("2026-11-25 10:15", window.GetProperty("earliest").GetString());

            // A large campaign needs a longer lead: 1.5 × 20,000 ÷ 2,000 per minute + 5 = 20 minutes.
            factory.Clock.Set(CampaignTestFactory.DefaultNow);
            window = await CampaignApi.ReadAsync(await client.GetAsync("/api/campaigns/send-time?recipients=20000"), HttpStatusCode.OK);
            Assert.Equal("2026-11-25 10:20", window.GetProperty("earliest").GetString());
            Assert.Equal(20, window.GetProperty("leadMinutes").GetInt32());
        }
        finally
        {
            factory.Clock.Set(CampaignTestFactory.DefaultNow);
        }
    }

    [Theory]
    [InlineData("-1")]
    [InlineData("abc")]
    [InlineData("1e3")]
    [InlineData("+5")]
    [InlineData("99999999")]
    [InlineData("2147483648")]
    [InlineData("%00")]
    [InlineData("12345678901234567890123456789012345678901234567890")]
    public async Task A_malformed_recipient_count_is_refused_in_korean(string recipients)
    {
        var client = await factory.CreateClientAsync(Roles.Operator);

        var problem = await CampaignApi.ProblemAsync(
            await client.GetAsync("/api/campaigns/send-time?recipients=" + recipients), HttpStatusCode.BadRequest, "invalid_recipients");

        Assert.Equal(["수신자 수는 0 이상의 숫자로 입력해 주세요."], CampaignApi.FieldErrors(problem, "recipients"));
    }

    [Fact]
    public async Task Only_the_roles_that_register_campaigns_ask()
    {
        var viewer = await factory.CreateClientAsync(Roles.Viewer);
        Assert.Equal(HttpStatusCode.Forbidden, (await viewer.GetAsync("/api/campaigns/send-time")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await factory.CreateClient().GetAsync("/api/campaigns/send-time")).StatusCode);
    }
}
