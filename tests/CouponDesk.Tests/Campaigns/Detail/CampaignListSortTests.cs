using System.Net;
using System.Net.Http.Json;
using CouponDesk.Security;
using Dapper;

namespace CouponDesk.Tests.Campaigns.Detail;

/// <summary>
/// 발송조회 sorted by 발송일시 and by 유효기간 in both directions; the cursor carries the sort key and the id, so pages
/// neither skip nor repeat.
/// </summary>
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

    [Fact]
    public async Task Sorting_by_validity_end_pages_exactly_in_both_directions_with_ties_and_unknown_validity()
    {
        var staff = await factory.CreateClientAsync(Roles.Operator);
        var tag = Guid.NewGuid().ToString("N")[..8];
        var ids = new List<long>();
        for (var i = 0; i < 7; i++)
        {
            var created = await CampaignApi.ReadAsync(await staff.PostAsJsonAsync("/api/campaigns", new { clientName = "유효" + tag, eventName = $"유효 {i}" }), HttpStatusCode.Created);
            ids.Add(created.GetProperty("id").GetInt64());
        }

        // (type, value, send time UTC): type D counts days from the KST date of the send time.
        var validity = new (string? Type, string? Value, DateTime? SendAt)[]
        {
            ("E", "20270115", null),                                                  // 2027-01-15
            ("D", "30", new DateTime(2026, 12, 1, 16, 0, 0, DateTimeKind.Utc)),       // KST 12-02 + 30 = 2027-01-01
            (null, null, null),                                                       // unknown
            ("E", "20270101", null),                                                  // 2027-01-01, tie with [1]
            ("E", "20270229", null),                                                  // not a date: unknown, tie with [2]
            ("D", "0", new DateTime(2026, 11, 30, 15, 30, 0, DateTimeKind.Utc)),      // KST 12-01 + 0 = 2026-12-01
            ("D", "7", new DateTime(2026, 11, 24, 14, 59, 0, DateTimeKind.Utc)),      // KST 11-24 23:59 + 7 = 2026-12-01, tie with [5]
        };
        await using (var c = await factory.Database.OpenAsync())
        {
            for (var i = 0; i < ids.Count; i++)
            {
                await c.ExecuteAsync(
                    "UPDATE campaigns SET validity_type = @Type, validity_value = @Value, scheduled_at = @SendAt WHERE id = @id",
                    new { validity[i].Type, validity[i].Value, validity[i].SendAt, id = ids[i] });
            }
        }

        var ascending = new List<long> { ids[2], ids[4], ids[5], ids[6], ids[1], ids[3], ids[0] };
        var query = $"clientName=유효{tag}&sort=validUntil";
        Assert.Equal(ascending, await PagesAsync(staff, query + "&direction=asc"));
        ascending.Reverse();
        Assert.Equal(ascending, await PagesAsync(staff, query));
        Assert.Equal(ascending, await PagesAsync(staff, query + "&direction=desc"));

        // The list shows the date, "예상" for type D before issuance (these are drafts), nothing for an unknown validity.
        var page = await CampaignApi.ReadAsync(await staff.GetAsync($"/api/campaigns?{query}&limit=10"), HttpStatusCode.OK);
        var shown = page.GetProperty("items").EnumerateArray().ToDictionary(
            x => x.GetProperty("id").GetInt64(), x => (x.GetProperty("validUntil").GetString(), x.GetProperty("validUntilEstimated").GetBoolean()));
        Assert.Equal(("2027-01-15", false), shown[ids[0]]);
        Assert.Equal(("2027-01-01", true), shown[ids[1]]);
        Assert.Equal((null, false), shown[ids[2]]);
        Assert.Equal((null, false), shown[ids[4]]);
        Assert.Equal(("2026-12-01", true), shown[ids[6]]);
    }

    [Theory]
    [InlineData("sort=validity_end", "sort")]
    [InlineData("sort=sendAt,id", "sort")]
    [InlineData("sort=validUntil%3B%20DROP%20TABLE%20campaigns", "sort")]
    [InlineData("sort=validUntil&cursor=MjAyNy0xMy0wMQ~5", "cursor")]
    [InlineData("sort=validUntil&cursor=MjAyNzAxMDE~5", "cursor")]
    [InlineData("sort=validUntil&cursor=2027-01-01-5", "cursor")]
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
