using System.Net;
using System.Net.Http.Json;
using CouponDesk.Security;

namespace CouponDesk.Tests.Campaigns;

/// <summary>발송조회 list (spec §3.3.1/§3.3.2): filters, keyset paging, refusal of bad filters, read-only for a VIEWER.</summary>
public sealed class CampaignListTests(CampaignTestFactory factory) : IClassFixture<CampaignTestFactory>
{
    [Fact]
    public async Task Filters_by_client_event_state_and_date_and_pages_newest_first()
    {
        var staff = await factory.CreateClientAsync(Roles.Operator);
        var tag = Guid.NewGuid().ToString("N")[..8];
        var ids = new List<long>();
        for (var i = 0; i < 3; i++)
        {
            var created = await CampaignApi.ReadAsync(await staff.PostAsJsonAsync("/api/campaigns", new { clientName = "목록%_" + tag, eventName = $"이벤트 {i} {tag}" }), HttpStatusCode.Created);
            ids.Add(created.GetProperty("id").GetInt64());
        }

        var viewer = await factory.CreateClientAsync(Roles.Viewer);
        var first = await CampaignApi.ReadAsync(await viewer.GetAsync($"/api/campaigns?clientName=%25_{tag}&limit=2&from=2026-11-25&status=DRAFT"), HttpStatusCode.OK);
        var page1 = first.GetProperty("items").EnumerateArray().Select(x => x.GetProperty("id").GetInt64()).ToList();
        Assert.Equal([ids[2], ids[1]], page1);
        Assert.Equal("임시저장", first.GetProperty("items")[0].GetProperty("statusLabel").GetString());
        var cursor = first.GetProperty("nextCursor").GetString();

        var second = await CampaignApi.ReadAsync(await viewer.GetAsync($"/api/campaigns?clientName={tag}&limit=2&cursor={cursor}"), HttpStatusCode.OK);
        Assert.Equal([ids[0]], second.GetProperty("items").EnumerateArray().Select(x => x.GetProperty("id").GetInt64()));
        Assert.Equal(System.Text.Json.JsonValueKind.Null, second.GetProperty("nextCursor").ValueKind);

        // A literal "%" in the filter is not a wildcard; other states and days outside the range are not listed.
        Assert.Empty((await CampaignApi.ReadAsync(await viewer.GetAsync($"/api/campaigns?clientName=%25x{tag}"), HttpStatusCode.OK)).GetProperty("items").EnumerateArray());
        Assert.Empty((await CampaignApi.ReadAsync(await viewer.GetAsync($"/api/campaigns?eventName={tag}&status=SCHEDULED,COMPLETED"), HttpStatusCode.OK)).GetProperty("items").EnumerateArray());
        Assert.Empty((await CampaignApi.ReadAsync(await viewer.GetAsync($"/api/campaigns?eventName={tag}&from=2026-11-26"), HttpStatusCode.OK)).GetProperty("items").EnumerateArray());
    }

    [Theory]
    [InlineData("from=2025-01-01&to=2026-11-25", "to", "조회 기간은 최대 1년입니다.")]
    [InlineData("from=2026-11-25&to=2026-11-24", "to", "종료일은 시작일 이후여야 합니다.")]
    [InlineData("from=25-11-2026", "from", "날짜는 YYYY-MM-DD 형식으로 입력해 주세요.")]
    [InlineData("status=DRAFT,EVIL'--", "status", "알 수 없는 발송상태입니다.")]
    [InlineData("limit=1000", "limit", "한 번에 1~100건까지 조회할 수 있습니다.")]
    [InlineData("cursor=-1", "cursor", "잘못된 페이지 위치입니다.")]
    public async Task Bad_filters_are_refused_with_the_field_named(string query, string field, string message)
    {
        var client = await factory.CreateClientAsync(Roles.Viewer);

        var problem = await CampaignApi.ProblemAsync(await client.GetAsync("/api/campaigns?" + query), HttpStatusCode.BadRequest, "validation_failed");

        Assert.Equal([message], CampaignApi.FieldErrors(problem, field));
    }

    [Fact]
    public async Task Oversized_text_filters_are_refused()
    {
        var client = await factory.CreateClientAsync(Roles.Viewer);

        var problem = await CampaignApi.ProblemAsync(await client.GetAsync("/api/campaigns?clientName=" + new string('가', 31) + "&eventName=" + new string('a', 51)), HttpStatusCode.BadRequest, "validation_failed");

        Assert.Equal(["고객사는 30자까지 입력할 수 있습니다."], CampaignApi.FieldErrors(problem, "clientName"));
        Assert.Equal(["이벤트명은 50자까지 입력할 수 있습니다."], CampaignApi.FieldErrors(problem, "eventName"));
    }
}
