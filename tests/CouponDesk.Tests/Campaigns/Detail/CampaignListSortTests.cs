using System.Net;
using System.Net.Http.Json;
using CouponDesk.Security;
using Dapper;

namespace CouponDesk.Tests.Campaigns.Detail;

/// <summary>발송조회 sorted by 발송일시 in both directions; the cursor carries the sort key and the id, so pages neither skip nor repeat.</summary>
public sealed class CampaignListSortTests(CampaignTestFactory factory) : IClassFixture<CampaignTestFactory>
{
    [Fact]
    public async Task Sorting_by_send_time_pages_exactly_in_both_directions_with_ties_broken_by_id()
    {
        var staff = await factory.CreateClientAsync(Roles.Operator);
        var tag = Guid.NewGuid().ToString("N")[..8];
        var ids = new List<long>();
        for (var i = 0; i < 5; i++)
        {
            var created = await CampaignApi.ReadAsync(await staff.PostAsJsonAsync("/api/campaigns", new { clientName = "정렬" + tag, eventName = $"정렬 {i}" }), HttpStatusCode.Created);
            ids.Add(created.GetProperty("id").GetInt64());
        }

        // Send times out of id order, two of them equal: expected ascending order is ids[3], ids[1]/ids[4] (tie → id), ids[0], ids[2].
        var at = new DateTime(2026, 11, 27, 1, 0, 0, DateTimeKind.Utc);
        var offsets = new[] { 3, 2, 4, 1, 2 };
        await using (var c = await factory.Database.OpenAsync())
        {
            for (var i = 0; i < ids.Count; i++)
            {
                await c.ExecuteAsync("UPDATE campaigns SET scheduled_at = @s WHERE id = @id", new { s = at.AddHours(offsets[i]), id = ids[i] });
            }
        }

        var ascending = new List<long> { ids[3], ids[1], ids[4], ids[0], ids[2] };
        Assert.Equal(ascending, await PagesAsync(staff, $"clientName=정렬{tag}&sort=sendAt&direction=asc"));
        ascending.Reverse();
        Assert.Equal(ascending, await PagesAsync(staff, $"clientName=정렬{tag}"));
        Assert.Equal(ascending, await PagesAsync(staff, $"clientName=정렬{tag}&direction=desc"));
    }

    [Theory]
    [InlineData("sort=validUntil", "sort")]
    [InlineData("direction=sideways", "direction")]
    [InlineData("cursor=abc", "cursor")]
    [InlineData("cursor=1-2-3", "cursor")]
    [InlineData("cursor=99999999999999999999-1", "cursor")]
    [InlineData("cursor=638000000000000000-0", "cursor")]
    public async Task Bad_sort_or_cursor_is_refused(string query, string field)
    {
        var client = await factory.CreateClientAsync(Roles.Viewer);
        var problem = await CampaignApi.ProblemAsync(await client.GetAsync("/api/campaigns?" + query), HttpStatusCode.BadRequest, "validation_failed");
        Assert.Single(CampaignApi.FieldErrors(problem, field));
    }

    private static async Task<List<long>> PagesAsync(HttpClient client, string query)
    {
        var ids = new List<long>();
        string? cursor = null;
        for (var pages = 0; pages < 10; pages++)
        {
            var page = await CampaignApi.ReadAsync(
                await client.GetAsync($"/api/campaigns?{query}&limit=2" + (cursor is null ? "" : "&cursor=" + Uri.EscapeDataString(cursor))), HttpStatusCode.OK);
            ids.AddRange(page.GetProperty("items").EnumerateArray().Select(x => x.GetProperty("id").GetInt64()));
            cursor = page.GetProperty("nextCursor").GetString();
            if (cursor is null)
            {
                break;
            }
        }

        return ids;
    }
}
