using System.Net;
using System.Net.Http.Json;
using CouponDesk.Security;

namespace CouponDesk.Tests.Campaigns;

/// <summary>The registered sender numbers: operators read them, only ADMIN changes them, numbers in use stay.</summary>
public sealed class SenderNumberTests(CampaignTestFactory factory) : IClassFixture<CampaignTestFactory>
{
    [Fact]
    public async Task Admin_manages_the_list_and_operators_only_read_it()
    {
        var admin = await factory.CreateClientAsync(Roles.Admin);
        var operatorClient = await factory.CreateClientAsync(Roles.Operator);

        Assert.Equal(HttpStatusCode.Forbidden, (await operatorClient.PostAsJsonAsync("/api/settings/sender-numbers", new { number = "0311112222" })).StatusCode);
        var list = await CampaignApi.ReadAsync(await admin.PostAsJsonAsync("/api/settings/sender-numbers", new { number = "031-111-2222", description = "지점", isDefault = true }), HttpStatusCode.OK);
        Assert.Equal("0311112222", list[0].GetProperty("number").GetString());
        Assert.True(list[0].GetProperty("isDefault").GetBoolean());
        Assert.Equal(1, list.EnumerateArray().Count(n => n.GetProperty("isDefault").GetBoolean()));

        await CampaignApi.ProblemAsync(await admin.PostAsJsonAsync("/api/settings/sender-numbers", new { number = "0311112222" }), HttpStatusCode.Conflict, "sender_number_duplicate");
        await CampaignApi.ProblemAsync(await admin.PostAsJsonAsync("/api/settings/sender-numbers", new { number = "12-34" }), HttpStatusCode.BadRequest, "validation_failed");

        var seen = await CampaignApi.ReadAsync(await operatorClient.GetAsync("/api/sender-numbers"), HttpStatusCode.OK);
        Assert.Contains(seen.EnumerateArray(), n => n.GetProperty("number").GetString() == "0311112222");
        var viewer = await factory.CreateClientAsync(Roles.Viewer);
        Assert.Equal(HttpStatusCode.Forbidden, (await viewer.GetAsync("/api/sender-numbers")).StatusCode);
    }

    [Fact]
    public async Task A_number_used_by_a_scheduled_campaign_cannot_be_removed()
    {
        var admin = await factory.CreateClientAsync(Roles.Admin);
        var list = await CampaignApi.ReadAsync(await admin.PostAsJsonAsync("/api/settings/sender-numbers", new { number = "0322223333" }), HttpStatusCode.OK);
        var id = list.EnumerateArray().Single(n => n.GetProperty("number").GetString() == "0322223333").GetProperty("id").GetInt64();
        var campaignId = await CampaignApi.CreateAsync(admin, CampaignDraftTests.Merge(CampaignApi.FullForm(), new { senderNumber = "0322223333" }));
        await factory.ExecuteAsync("UPDATE campaigns SET status = 'SCHEDULED' WHERE id = @campaignId", new { campaignId });

        await CampaignApi.ProblemAsync(await admin.DeleteAsync($"/api/settings/sender-numbers/{id}"), HttpStatusCode.Conflict, "sender_number_in_use");

        await factory.ExecuteAsync("UPDATE campaigns SET status = 'CANCELLED' WHERE id = @campaignId", new { campaignId });
        Assert.Equal(HttpStatusCode.NoContent, (await admin.DeleteAsync($"/api/settings/sender-numbers/{id}")).StatusCode);
        await CampaignApi.ProblemAsync(await admin.DeleteAsync($"/api/settings/sender-numbers/{id}"), HttpStatusCode.NotFound, "not_found");
    }
}
