using System.Net;
using System.Net.Http.Json;
using CouponDesk.Security;
using Dapper;
using MiniExcelLibs;

namespace CouponDesk.Tests.Campaigns.Detail;

/// <summary>Excel exports of 발송조회 (spec §3.3.4) on the finished campaign: masked by default, unmasked only for an ADMIN with a reason, the request and every download audited.</summary>
public sealed class CampaignExportTests(FinishedCampaign campaign) : IClassFixture<FinishedCampaign>
{
    [Fact]
    public async Task The_detail_export_is_masked_has_the_listed_columns_and_is_audited()
    {
        using var viewer = await campaign.SignedInAsync(Roles.Viewer);
        var response = await Exports.RequestAndDownloadAsync(viewer, await viewer.PostAsync($"/api/campaigns/{campaign.CampaignId}/export", null));
        var name = response.Content.Headers.ContentDisposition!.FileNameStar!;
        Assert.Matches(@"^발송상세내역_[0-9A-Za-z-]+_\d{12}\.xlsx$", name);

        var bytes = await response.Content.ReadAsByteArrayAsync();
        using var stream = new MemoryStream(bytes);
        Assert.Equal(["발송상세"], MiniExcel.GetSheetNames(stream));
        var rows = MiniExcel.Query(stream, useHeaderRow: true, sheetName: "발송상세").Cast<IDictionary<string, object?>>().ToList();
        Assert.Equal(FinishedCampaign.Recipients, rows.Count);
        Assert.Equal(
            ["No", "발송일시", "고객사", "담당자", "이벤트명", "주문ID", "상품명", "정상단가", "발신자번호", "수신자번호", "발송상태", "쿠폰번호", "유효기간",
             "쿠폰상태", "결과코드", "결과설명", "발송완료일시", "교환일시", "교환지점", "재발송 횟수", "번호변경 여부"],
            rows[0].Keys);
        Assert.All(rows, r => Assert.Matches(@"^010-\*\*\*\*-\d{4}$", (string)r["수신자번호"]!));
        var cells = string.Join('|', rows.SelectMany(r => r.Values.Select(v => Convert.ToString(v, System.Globalization.CultureInfo.InvariantCulture))));
        foreach (var (seq, number) in await campaign.CouponNumbersAsync())
        {
            Assert.DoesNotContain(number, cells, StringComparison.Ordinal);
            Assert.DoesNotContain($"0100000{seq:D4}", cells, StringComparison.Ordinal);
        }

        await using var c = await campaign.Harness.Database.OpenAsync();
        var details = await c.QuerySingleAsync<string>(
            "SELECT details FROM audit_log WHERE action = 'export.campaign_detail' AND target_id = @id AND reason IS NULL ORDER BY id DESC LIMIT 1", new { id = campaign.CampaignId });
        Assert.Contains("\"rows\":\"12\"", details.Replace(" ", ""), StringComparison.Ordinal);
        Assert.Contains("\"masked\":\"true\"", details.Replace(" ", ""), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Unmasked_needs_an_ADMIN_and_a_reason_says_so_in_its_name_and_is_audited_with_the_reason()
    {
        var path = $"/api/campaigns/{campaign.CampaignId}/export/unmasked";
        using var operatorClient = await campaign.SignedInAsync(Roles.Operator);
        Assert.Equal(HttpStatusCode.Forbidden, (await operatorClient.PostAsJsonAsync(path, new { reason = "고객 요청" })).StatusCode);

        using var admin = await campaign.SignedInAsync(Roles.Admin);
        Assert.Equal(HttpStatusCode.BadRequest, (await admin.PostAsJsonAsync(path, new { reason = "  " })).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await admin.PostAsJsonAsync(path, new { reason = new string('가', 201) })).StatusCode);

        var response = await Exports.RequestAndDownloadAsync(admin, await admin.PostAsJsonAsync(path, new { reason = "고객사 정산 대조" }));
        Assert.EndsWith("(원본).xlsx", response.Content.Headers.ContentDisposition!.FileNameStar!, StringComparison.Ordinal);
        using var stream = new MemoryStream(await response.Content.ReadAsByteArrayAsync());
        var rows = MiniExcel.Query(stream, useHeaderRow: true).Cast<IDictionary<string, object?>>().ToList();
        var numbers = await campaign.CouponNumbersAsync();
        Assert.Equal(numbers[3], (string)rows.Single(r => Convert.ToInt32(r["No"], System.Globalization.CultureInfo.InvariantCulture) == 3)["쿠폰번호"]!);

        await using var c = await campaign.Harness.Database.OpenAsync();
        // The request and the download: two events, each with the reason and the masking.
        Assert.Equal(2, await c.ExecuteScalarAsync<int>(
            "SELECT COUNT(*) FROM audit_log WHERE action IN ('export.requested', 'export.campaign_detail') AND reason = '고객사 정산 대조' AND REPLACE(details, ' ', '') LIKE '%\"masked\":\"false\"%'", new { id = campaign.CampaignId }));
    }

    [Fact]
    public async Task The_list_export_follows_the_filters_and_is_audited()
    {
        using var viewer = await campaign.SignedInAsync(Roles.Viewer);
        var response = await Exports.RequestAndDownloadAsync(viewer, await viewer.PostAsync("/api/campaigns/export?eventName=" + Uri.EscapeDataString("파이프라인") + "&direction=asc", null));
        Assert.Matches(@"^발송조회_\d{12}\.xlsx$", response.Content.Headers.ContentDisposition!.FileNameStar!);
        using var stream = new MemoryStream(await response.Content.ReadAsByteArrayAsync());
        var rows = MiniExcel.Query(stream, useHeaderRow: true, sheetName: "발송조회").Cast<IDictionary<string, object?>>().ToList();
        var row = Assert.Single(rows);
        Assert.Equal("파이프라인 테스트", row["이벤트명"]);
        // 유효기간 as the list shows it (D-DETAIL-9).
        var listed = System.Text.Json.JsonDocument.Parse(await viewer.GetStringAsync("/api/campaigns?eventName=" + Uri.EscapeDataString("파이프라인"))).RootElement
            .GetProperty("items")[0];
        Assert.Equal(listed.GetProperty("validUntil").GetString() ?? "", row["유효기간"] as string ?? "");

        Assert.Equal(HttpStatusCode.BadRequest, (await viewer.PostAsync("/api/campaigns/export?from=2020-01-01&to=2026-01-01", null)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await viewer.PostAsync("/api/campaigns/987654321/export", null)).StatusCode);
        await using var c = await campaign.Harness.Database.OpenAsync();
        Assert.True(await c.ExecuteScalarAsync<int>("SELECT COUNT(*) FROM audit_log WHERE action = 'export.campaign_list'") >= 1);
    }
}

/// <summary>The export flow of a small export: the request answers 202 already 완료, then the file is fetched by id.</summary>
public static class Exports
{
    public static async Task<HttpResponseMessage> RequestAndDownloadAsync(HttpClient client, HttpResponseMessage requested)
    {
        var body = await requested.Content.ReadAsStringAsync();
        Assert.True(requested.StatusCode == HttpStatusCode.Accepted, body);
        var export = System.Text.Json.JsonDocument.Parse(body).RootElement;
        Assert.Equal("READY", export.GetProperty("status").GetString());
        var response = await client.GetAsync($"/api/exports/{export.GetProperty("id").GetInt64()}/file");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return response;
    }
}
