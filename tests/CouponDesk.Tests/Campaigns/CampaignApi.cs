using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;

namespace CouponDesk.Tests.Campaigns;

/// <summary>Small helpers for driving the campaign API the way the 발송등록 page does.</summary>
public static class CampaignApi
{
    public static object FullForm(string scheduledAt = "2026-11-27 10:00", string? title = null, string? body = null) => new
    {
        clientName = "테스트고객사",
        salesManager = "김영업",
        clientRequester = "홍길동",
        requesterPhone = "02-0000-1234",
        requesterEmail = "requester@example.invalid",
        eventName = "연말 감사 이벤트",
        sendMode = "AT",
        scheduledAt,
        goodsId = CampaignTestFactory.GoodsId,
        senderNumber = CampaignTestFactory.SenderNumber,
        mmsTitle = title ?? "연말 감사 선물",
        mmsBody = body ?? "안녕하세요.\n감사의 마음을 담아 커피 쿠폰을 보내 드립니다.",
    };

    public static async Task<long> CreateAsync(HttpClient client, object? form = null)
    {
        var response = await client.PostAsJsonAsync("/api/campaigns", form ?? FullForm());
        var json = await ReadAsync(response, HttpStatusCode.Created);
        return json.GetProperty("id").GetInt64();
    }

    public static async Task<JsonElement> UploadAsync(HttpClient client, long campaignId, byte[] file, string fileName, HttpStatusCode expected = HttpStatusCode.Created)
    {
        using var content = new ByteArrayContent(file);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
        var response = await client.PostAsync($"/api/campaigns/{campaignId}/recipient-lists?fileName={Uri.EscapeDataString(fileName)}", content);
        return await ReadAsync(response, expected);
    }

    public static async Task<JsonElement> ReadAsync(HttpResponseMessage response, HttpStatusCode expected)
    {
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(expected == response.StatusCode, $"expected {(int)expected}, got {(int)response.StatusCode}: {body}");
        return body.Length == 0 ? default : JsonDocument.Parse(body).RootElement.Clone();
    }

    public static async Task<JsonElement> ProblemAsync(HttpResponseMessage response, HttpStatusCode expected, string code)
    {
        var json = await ReadAsync(response, expected);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal(code, json.GetProperty("code").GetString());
        Assert.Matches("[가-힣]", json.GetProperty("detail").GetString());
        return json;
    }

    public static string[] FieldErrors(JsonElement problem, string field) =>
        problem.TryGetProperty("errors", out var errors) && errors.TryGetProperty(field, out var list)
            ? list.EnumerateArray().Select(e => e.GetString()!).ToArray()
            : [];
}
