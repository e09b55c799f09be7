using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using CouponDesk.Tests.CustomerService;
using CouponDesk.Tests.Pipeline;
using CouponDesk.Tests.Pipeline.Resends;

namespace CouponDesk.Tests.Approvals;

/// <summary>The approval tests' host (every switch on) and their API calls.</summary>
public static class ApprovalKit
{
    public static readonly KeyValuePair<string, string?>[] AllOn =
    [
        new("Approvals:CampaignCancel", "true"),
        new("Approvals:Resend", "true"),
        new("Approvals:PhoneChange", "true"),
        new("Approvals:CouponDiscard", "true"),
        new("Approvals:BulkDiscard", "true"),
    ];

    public static Task<PipelineHarness> StartAsync() => CsKit.StartAsync(AllOn);

    /// <summary>A C/S action as a request (202 "승인 요청이 등록되었습니다.", the row "승인 대기"); returns the request's id.</summary>
    public static async Task<long> RequestAsync(PipelineHarness h, HttpClient client, long itemId, string action, object body)
    {
        var answer = await (await CsKit.ActAsync(client, itemId, action, body)).JsonAsync(HttpStatusCode.Accepted);
        Assert.Equal("승인 요청이 등록되었습니다.", answer.GetProperty("message").GetString());
        Assert.True(answer.GetProperty("item").GetProperty("approvalPending").GetBoolean());
        return await LatestIdAsync(h);
    }

    public static async Task<JsonElement> ListAsync(HttpClient client, string tab) =>
        (await (await client.GetAsync($"/api/approvals?tab={tab}")).JsonAsync(HttpStatusCode.OK)).GetProperty("items");

    public static async Task<int> CountAsync(HttpClient client) =>
        (await (await client.GetAsync("/api/approvals/count")).JsonAsync(HttpStatusCode.OK)).GetProperty("count").GetInt32();

    public static Task<HttpResponseMessage> ApproveAsync(HttpClient client, long id, bool confirmNight = false) =>
        client.PostAsJsonAsync($"/api/approvals/{id}/approve", new { confirmNight });

    public static Task<HttpResponseMessage> RejectAsync(HttpClient client, long id, string? reason) =>
        client.PostAsJsonAsync($"/api/approvals/{id}/reject", new { reason });

    public static Task<HttpResponseMessage> WithdrawAsync(HttpClient client, long id) =>
        client.PostAsync($"/api/approvals/{id}/withdraw", null);

    public static Task<long> LatestIdAsync(PipelineHarness h) =>
        AfterSendKit.ScalarAsync<long>(h, "SELECT MAX(id) FROM approval_requests");

    public static Task<string> StatusAsync(PipelineHarness h, long id) =>
        AfterSendKit.ScalarAsync<string>(h, "SELECT status FROM approval_requests WHERE id = @id", new { id });
}
