using System.Net;
using System.Net.Http.Json;
using CouponDesk.Security;
using CouponDesk.Security.Pii;
using CouponDesk.Tests.Accounts;
using CouponDesk.TestSupport;
using Dapper;
using Microsoft.Extensions.DependencyInjection;

namespace CouponDesk.Tests.Privacy;

/// <summary>보존 연장 (spec §7.5): ADMIN only, 1–365 days, a reason; audited; bad input is a problem and changes nothing.</summary>
public sealed class LegalHoldEndpointTests(CouponDeskFactory factory) : IClassFixture<CouponDeskFactory>
{
    public static TheoryData<string, string> BadBodies => new()
    {
        { """{"days": 0, "reason": "분쟁"}""", "days" },
        { """{"days": 366, "reason": "분쟁"}""", "days" },
        { """{"reason": "분쟁"}""", "days" },
        { """{"days": 30}""", "reason" },
        { """{"days": 30, "reason": "   "}""", "reason" },
        { "{\"days\": 30, \"reason\": \"" + new string('가', 201) + "\"}", "reason" },
        { """{"days": 30, "reason": "분쟁\u202E중"}""", "reason" },
        { """{"days": 30, "reason": "분쟁\u0007"}""", "reason" },
        { """{"days": 30, "reason": "줄\n바꿈"}""", "reason" },
    };

    [Theory]
    [MemberData(nameof(BadBodies))]
    public async Task Bad_input_is_a_problem_with_a_code_and_a_korean_message_and_changes_nothing(string body, string field)
    {
        var campaign = await CampaignAsync();
        var admin = await factory.CreateClientAsync(Roles.Admin);
        var before = await AuditCountAsync();

        using var response = await admin.PutAsync($"/api/campaigns/{campaign}/legal-hold", new StringContent(body, System.Text.Encoding.UTF8, "application/json"));

        var problem = await response.JsonAsync(HttpStatusCode.BadRequest);
        Assert.Equal("validation_failed", problem.GetProperty("code").GetString());
        Assert.True(problem.GetProperty("errors").TryGetProperty(field, out var messages), body);
        Assert.Matches("[가-힣]", messages[0].GetString());
        Assert.Equal(0, await HoldCountAsync(campaign));
        Assert.Equal(before, await AuditCountAsync());
    }

    [Fact]
    public async Task Malformed_json_unknown_campaigns_and_other_roles_are_refused_and_change_nothing()
    {
        var campaign = await CampaignAsync();
        var admin = await factory.CreateClientAsync(Roles.Admin);
        var before = await AuditCountAsync();

        using (var malformed = await admin.PutAsync($"/api/campaigns/{campaign}/legal-hold", new StringContent("{\"days\": 30, \"reason\": ", System.Text.Encoding.UTF8, "application/json")))
        {
            Assert.Equal(HttpStatusCode.BadRequest, malformed.StatusCode);
        }

        var missing = await (await admin.PutAsJsonAsync("/api/campaigns/987654321/legal-hold", new { days = 30, reason = "분쟁" })).JsonAsync(HttpStatusCode.NotFound);
        Assert.Equal("not_found", missing.GetProperty("code").GetString());
        foreach (var role in new[] { Roles.Operator, Roles.Viewer })
        {
            var client = await factory.CreateClientAsync(role);
            Assert.Equal(HttpStatusCode.Forbidden, (await client.PutAsJsonAsync($"/api/campaigns/{campaign}/legal-hold", new { days = 30, reason = "분쟁" })).StatusCode);
            Assert.Equal(HttpStatusCode.Forbidden, (await client.DeleteAsync($"/api/campaigns/{campaign}/legal-hold")).StatusCode);
        }

        Assert.Equal(0, await HoldCountAsync(campaign));
        await using var c = await factory.Database.OpenAsync();
        Assert.Equal(0, await c.ExecuteScalarAsync<int>("SELECT COUNT(*) FROM audit_log WHERE id > @before AND action LIKE 'campaign.legal_hold%'", new { before }));
    }

    [Fact]
    public async Task An_admin_sets_and_releases_a_hold_everyone_sees_it_and_both_are_audited()
    {
        var campaign = await CampaignAsync();
        var admin = await factory.CreateClientAsync(Roles.Admin);
        var viewer = await factory.CreateClientAsync(Roles.Viewer);
        Assert.False((await (await viewer.GetAsync($"/api/campaigns/{campaign}/legal-hold")).JsonAsync(HttpStatusCode.OK)).GetProperty("held").GetBoolean());

        var set = await (await admin.PutAsJsonAsync($"/api/campaigns/{campaign}/legal-hold", new { days = 365, reason = "  소비자 분쟁 조정 <script>  " })).JsonAsync(HttpStatusCode.OK);
        Assert.True(set.GetProperty("held").GetBoolean());
        var seen = await (await viewer.GetAsync($"/api/campaigns/{campaign}/legal-hold")).JsonAsync(HttpStatusCode.OK);
        Assert.True(seen.GetProperty("held").GetBoolean());
        Assert.Equal("소비자 분쟁 조정 <script>", seen.GetProperty("reason").GetString());
        var until = seen.GetProperty("heldUntil").GetDateTime();
        Assert.InRange(until, DateTime.UtcNow.AddDays(364), DateTime.UtcNow.AddDays(366));

        Assert.True((await (await admin.DeleteAsync($"/api/campaigns/{campaign}/legal-hold")).JsonAsync(HttpStatusCode.OK)).ValueKind == System.Text.Json.JsonValueKind.Object);
        var again = await (await admin.DeleteAsync($"/api/campaigns/{campaign}/legal-hold")).JsonAsync(HttpStatusCode.Conflict);
        Assert.Equal("not_on_hold", again.GetProperty("code").GetString());
        await using var c = await factory.Database.OpenAsync();
        var actions = (await c.QueryAsync<string>("SELECT action FROM audit_log WHERE target_type = 'campaign' AND target_id = @id AND action LIKE 'campaign.legal_hold%' ORDER BY id", new { id = campaign.ToString(System.Globalization.CultureInfo.InvariantCulture) })).ToList();
        Assert.Equal(["campaign.legal_hold_set", "campaign.legal_hold_released"], actions);
    }

    private Task<long> CampaignAsync() =>
        PipelineCampaigns.ScheduleAsync(factory.Services.GetRequiredService<CouponDesk.Data.DbConnectionFactory>(), factory.Services.GetRequiredService<PiiProtector>(), 1, 950);

    private async Task<int> HoldCountAsync(long campaign)
    {
        await using var c = await factory.Database.OpenAsync();
        return await c.ExecuteScalarAsync<int>("SELECT COUNT(*) FROM legal_holds WHERE campaign_id = @campaign", new { campaign });
    }

    private async Task<long> AuditCountAsync()
    {
        await using var c = await factory.Database.OpenAsync();
        return await c.ExecuteScalarAsync<long>("SELECT COALESCE(MAX(id), 0) FROM audit_log");
    }
}
