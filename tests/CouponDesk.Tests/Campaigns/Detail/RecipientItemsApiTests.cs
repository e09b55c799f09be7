using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using CouponDesk.Features.CampaignDetail;
using CouponDesk.Security;
using CouponDesk.Security.Pii;
using CouponDesk.Tests.Pipeline;
using Dapper;
using Microsoft.Extensions.DependencyInjection;

namespace CouponDesk.Tests.Campaigns.Detail;

/// <summary>One real campaign, run to the end against both stand-ins, read back through the recipient table API.</summary>
public sealed class FinishedCampaign : IAsyncLifetime
{
    public const int Recipients = 12;

    public PipelineHarness Harness { get; private set; } = null!;

    public long CampaignId { get; private set; }

    public async Task InitializeAsync()
    {
        Harness = await PipelineHarness.StartAsync();
        CampaignId = await Harness.ScheduleCampaignAsync(Recipients);
        Assert.Equal("COMPLETED", await Harness.WaitForAsync(CampaignId, 90, "COMPLETED", "PARTIALLY_FAILED", "FAILED", "ERROR"));
        await using var c = await Harness.Database.OpenAsync();
        // Item 11: its coupon was used at a store; item 12: its send failed (as a result the agent reported).
        await c.ExecuteAsync(
            """
            UPDATE coupons SET status = 'USED', last_exchange_at = @at
            WHERE id = (SELECT coupon_id FROM delivery_items WHERE campaign_id = @id AND seq = 11)
            """, new { id = CampaignId, at = new DateTime(2026, 11, 20, 3, 4, 0, DateTimeKind.Utc) });
        await c.ExecuteAsync("UPDATE delivery_items SET status = 'SEND_FAILED' WHERE campaign_id = @id AND seq = 12", new { id = CampaignId });
    }

    public async Task DisposeAsync() => await Harness.DisposeAsync();

    public Task<HttpClient> SignedInAsync(string role) => Harness.SignInAsync(role);

    /// <summary>The clear coupon numbers by item seq (test side only; never printed).</summary>
    public async Task<Dictionary<int, string>> CouponNumbersAsync()
    {
        var pii = Harness.BackOffice.Services.GetRequiredService<PiiProtector>();
        await using var c = await Harness.Database.OpenAsync();
        var rows = await c.QueryAsync<(int Seq, long Id, byte[] Enc)>(
            "SELECT di.seq, cp.id, cp.coupon_number_enc FROM delivery_items di JOIN coupons cp ON cp.id = di.coupon_id WHERE di.campaign_id = @id", new { id = CampaignId });
        return rows.ToDictionary(r => r.Seq, r => pii.Decrypt(r.Enc, CouponDesk.Features.Coupons.CouponsSetup.NumberColumn.PlaceOf(r.Id)));
    }
}

public sealed partial class RecipientItemsApiTests(FinishedCampaign campaign) : IClassFixture<FinishedCampaign>
{
    private string Items => $"/api/campaigns/{campaign.CampaignId}/items";

    [Fact]
    public async Task Every_item_is_listed_masked_and_no_clear_number_appears_in_the_answer()
    {
        using var viewer = await campaign.SignedInAsync(Roles.Viewer);
        var response = await viewer.GetAsync(Items);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var json = await response.Content.ReadAsStringAsync();

        using var doc = JsonDocument.Parse(json);
        var items = doc.RootElement.GetProperty("items").EnumerateArray().ToList();
        Assert.Equal(FinishedCampaign.Recipients, items.Count);
        Assert.Equal(FinishedCampaign.Recipients, doc.RootElement.GetProperty("total").GetInt64());
        Assert.Equal(JsonValueKind.Null, doc.RootElement.GetProperty("nextCursor").ValueKind);
        foreach (var item in items)
        {
            Assert.Matches(MaskedPhone(), item.GetProperty("phone").GetString()!);
            Assert.Matches(MaskedCoupon(), item.GetProperty("couponNumber").GetString()!);
            var no = item.GetProperty("no").GetInt32();
            Assert.Equal(no == 12 ? "발송실패" : "발송성공", item.GetProperty("statusLabel").GetString());
            Assert.Equal(no == 11 ? "교환" : "미교환", item.GetProperty("couponStatusLabel").GetString());
            Assert.False(string.IsNullOrEmpty(item.GetProperty("orderId").GetString()));
            Assert.Matches(@"^\d{4}-\d{2}-\d{2} \d{2}:\d{2}$", item.GetProperty("deliveredAt").GetString()!);
        }

        Assert.Equal(Enumerable.Range(1, FinishedCampaign.Recipients), items.Select(i => i.GetProperty("no").GetInt32()));
        foreach (var (seq, number) in await campaign.CouponNumbersAsync())
        {
            Assert.DoesNotContain(number, json, StringComparison.Ordinal);
            Assert.DoesNotContain($"0100000{seq:D4}", json, StringComparison.Ordinal);
            Assert.DoesNotContain($"010-0000-{seq:D4}", json, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task Cursor_paging_returns_every_item_once_in_order()
    {
        using var client = await campaign.SignedInAsync(Roles.Operator);
        var seen = new List<long>();
        string? cursor = null;
        var pages = 0;
        do
        {
            var page = await client.GetFromJsonAsync<Page>(Items + "?limit=5" + (cursor is null ? "" : "&cursor=" + cursor));
            seen.AddRange(page!.Items.Select(i => i.ItemId));
            cursor = page.NextCursor;
            pages++;
        }
        while (cursor is not null && pages < 10);

        Assert.Equal(3, pages);
        Assert.Equal(FinishedCampaign.Recipients, seen.Distinct().Count());
        Assert.Equal(seen.Order(), seen);
    }

    [Fact]
    public async Task Search_finds_a_full_coupon_number_its_last_four_and_a_full_phone_exactly_and_is_audited()
    {
        using var client = await campaign.SignedInAsync(Roles.Operator);
        var numbers = await campaign.CouponNumbersAsync();
        var third = numbers[3];

        var byNumber = await SearchAsync(client, " " + Spaced(third) + " ");
        Assert.Equal([3], byNumber!.Items.Select(i => i.No));

        var last4 = third[^4..];
        var byLast4 = await SearchAsync(client, last4);
        Assert.Contains(3, byLast4!.Items.Select(i => i.No));
        Assert.All(byLast4.Items, i => Assert.EndsWith(last4, i.CouponNumber, StringComparison.Ordinal));
        Assert.Equal(numbers.Count(n => n.Value.EndsWith(last4, StringComparison.Ordinal)), byLast4.Items.Count);

        var byPhone = await SearchAsync(client, "010-0000-0007");
        Assert.Equal([7], byPhone!.Items.Select(i => i.No));

        // Exact only: a part of a phone number or of a coupon number finds nothing.
        var partial = await SearchAsync(client, third[..^1]);
        Assert.Empty(partial!.Items);
        var otherPhone = await SearchAsync(client, "01000000999");
        Assert.Empty(otherPhone!.Items);

        await using var c = await campaign.Harness.Database.OpenAsync();
        var subjects = (await c.QueryAsync<string>(
            "SELECT subject FROM audit_log WHERE action = 'campaign.items_searched' AND target_id = @id", new { id = campaign.CampaignId })).ToList();
        Assert.Contains("010-****-0007", subjects);
        Assert.DoesNotContain(subjects, s => s.Contains(third, StringComparison.Ordinal) || s.Contains("00000007", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Filter_chips_select_failed_issue_failed_unused_and_used_items()
    {
        using var client = await campaign.SignedInAsync(Roles.Viewer);
        var used = await client.GetFromJsonAsync<Page>(Items + "?filter=used");
        var only = Assert.Single(used!.Items);
        Assert.Equal(11, only.No);
        Assert.Equal("교환", only.CouponStatusLabel);
        Assert.Equal("2026-11-20 12:04", only.ExchangedAt);

        var unused = await client.GetFromJsonAsync<Page>(Items + "?filter=unused");
        Assert.DoesNotContain(11, unused!.Items.Select(i => i.No));
        Assert.Equal(FinishedCampaign.Recipients - 1, unused.Total);

        var failed = await client.GetFromJsonAsync<Page>(Items + "?filter=failed");
        Assert.Equal([12], failed!.Items.Select(i => i.No));
        Assert.Equal("발송실패", failed.Items[0].StatusLabel);

        var issueFailed = await client.GetFromJsonAsync<Page>(Items + "?filter=issue_failed");
        Assert.Empty(issueFailed!.Items);
    }

    [Theory]
    [InlineData("filter", "bogus", "unknown_filter")]
    [InlineData("filter", "ALL' OR 1=1", "unknown_filter")]
    [InlineData("q", "<script>alert(1)</script>", "invalid_search")]
    [InlineData("q", "1234' OR '1'='1", "invalid_search")]
    [InlineData("q", "12", "invalid_search")]
    [InlineData("q", "쿠폰", "invalid_search")]
    [InlineData("cursor", "abc", "invalid_cursor")]
    [InlineData("cursor", "-1", "invalid_cursor")]
    [InlineData("cursor", "99999999999999999999", "invalid_cursor")]
    [InlineData("limit", 0, "invalid_limit")]
    [InlineData("limit", 1000, "invalid_limit")]
    public async Task Bad_input_is_a_400_problem_with_a_stable_code_and_a_Korean_detail(string field, object value, string code)
    {
        using var client = await campaign.SignedInAsync(Roles.Operator);
        var response = await client.PostAsJsonAsync(Items + "/search", new Dictionary<string, object> { [field] = value });
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(code, problem.GetProperty("code").GetString());
        Assert.Matches(@"\p{IsHangulSyllables}", problem.GetProperty("detail").GetString()!);
    }

    [Fact]
    public async Task A_search_key_in_the_url_is_refused_and_the_list_filters_still_work_by_get()
    {
        using var client = await campaign.SignedInAsync(Roles.Operator);
        var response = await client.GetAsync(Items + "?q=010-0000-0007");
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(RecipientItemEndpoints.SearchInBody, (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("code").GetString());
        var used = await client.GetFromJsonAsync<Page>(Items + "?filter=used&limit=10");
        Assert.Single(used!.Items);
        var malformed = await client.PostAsync(Items + "/search", new StringContent("{\"q\": ", System.Text.Encoding.UTF8, "application/json"));
        Assert.Equal("malformed_body", (await malformed.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("code").GetString());
    }

    [Fact]
    public async Task An_oversized_search_is_refused_an_unknown_campaign_is_404_and_anonymous_is_401()
    {
        using var client = await campaign.SignedInAsync(Roles.Operator);
        var oversized = await client.PostAsJsonAsync(Items + "/search", new { q = new string('7', 5000) });
        Assert.Equal(HttpStatusCode.BadRequest, oversized.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync("/api/campaigns/987654321/items")).StatusCode);
        using var anonymous = campaign.Harness.BackOffice.CreateClient();
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.GetAsync(Items)).StatusCode);
    }

    private async Task<Page?> SearchAsync(HttpClient client, string q)
    {
        var response = await client.PostAsJsonAsync(Items + "/search", new { q });
        response.EnsureSuccessStatusCode();
        return await response.Content.ReadFromJsonAsync<Page>();
    }

    private static string Spaced(string number) => string.Join('-', number.Chunk(4).Select(c => new string(c))).ToLowerInvariant();

    [GeneratedRegex(@"^010-\*\*\*\*-\d{4}$")]
    private static partial Regex MaskedPhone();

    [GeneratedRegex(@"^[* ]+[0-9A-Z]{4}$")]
    private static partial Regex MaskedCoupon();

    private sealed record Item(long ItemId, int No, string Phone, string? CouponNumber, string CouponStatusLabel, string StatusLabel, string? ExchangedAt);

    private sealed record Page(List<Item> Items, long Total, string? NextCursor);
}
