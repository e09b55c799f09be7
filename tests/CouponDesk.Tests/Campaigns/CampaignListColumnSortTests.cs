using System.Net;
using System.Net.Http.Json;
using CouponDesk.Security;

namespace CouponDesk.Tests.Campaigns;

/// <summary>발송조회 sort options (spec §3.3.2, issue 18 point 4): every sortable column, both directions, paged by a keyset cursor.</summary>
public sealed class CampaignListColumnSortTests(CampaignTestFactory factory) : IClassFixture<CampaignTestFactory>
{
    [Theory]
    [InlineData("clientName", "asc", new[] { 1, 0, 2 })]
    [InlineData("clientName", "desc", new[] { 2, 0, 1 })]
    [InlineData("eventName", "asc", new[] { 2, 1, 0 })]
    [InlineData("status", "asc", new[] { 0, 1, 2 })]
    [InlineData("sendAt", "asc", new[] { 0, 1, 2 })]
    public async Task A_column_sorts_the_list_and_the_cursor_pages_in_that_order(string sort, string direction, int[] expected)
    {
        var staff = await factory.CreateClientAsync(Roles.Operator);
        var tag = Guid.NewGuid().ToString("N")[..8];
        var ids = new List<long>();
        string[] clients = ["나" + tag, "가" + tag, "다" + tag];
        string[] events = [$"3 {tag}", $"2 {tag}", $"1 {tag}"];
        for (var i = 0; i < 3; i++)
        {
            var created = await CampaignApi.ReadAsync(await staff.PostAsJsonAsync("/api/campaigns", new { clientName = clients[i], eventName = events[i] }), HttpStatusCode.Created);
            ids.Add(created.GetProperty("id").GetInt64());
        }

        // One of them deleted would vanish: states differ by lifecycle order instead (DRAFT < SCHEDULED < CANCELLED).
        await factory.ScalarAsync<long>("UPDATE campaigns SET status = 'SCHEDULED' WHERE id = @id", new { id = ids[1] });
        await factory.ScalarAsync<long>("UPDATE campaigns SET status = 'CANCELLED' WHERE id = @id", new { id = ids[2] });

        var seen = new List<long>();
        string? cursor = null;
        do
        {
            var page = await CampaignApi.ReadAsync(
                await staff.GetAsync($"/api/campaigns?eventName={tag}&sort={sort}&direction={direction}&limit=1" + (cursor is null ? "" : "&cursor=" + Uri.EscapeDataString(cursor))),
                HttpStatusCode.OK);
            seen.AddRange(page.GetProperty("items").EnumerateArray().Select(x => x.GetProperty("id").GetInt64()));
            cursor = page.GetProperty("nextCursor").GetString();
        }
        while (cursor is not null && seen.Count < 10);

        Assert.Equal(expected.Select(i => ids[i]), seen);
    }

    [Theory]
    [InlineData("sort=id;--")]
    [InlineData("sort=validity_end")]
    [InlineData("sort=clientName&cursor=***~1")]
    [InlineData("sort=quantity&cursor=YWJj~1")]
    [InlineData("sort=clientName&cursor=YWJj~0")]
    public async Task An_unknown_sort_or_a_cursor_of_another_shape_is_refused(string query)
    {
        var client = await factory.CreateClientAsync(Roles.Viewer);

        var problem = await CampaignApi.ProblemAsync(await client.GetAsync("/api/campaigns?" + query), HttpStatusCode.BadRequest, "validation_failed");

        Assert.NotEmpty(CampaignApi.FieldErrors(problem, query.Contains("cursor", StringComparison.Ordinal) ? "cursor" : "sort"));
    }
}
