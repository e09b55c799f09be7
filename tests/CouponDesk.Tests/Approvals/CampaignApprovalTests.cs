using System.Net;
using System.Net.Http.Json;
using CouponDesk.Data;
using CouponDesk.Features.Approvals;
using CouponDesk.Features.Audit;
using CouponDesk.Security;
using CouponDesk.Security.Pii;
using CouponDesk.Tests.CustomerService;
using CouponDesk.Tests.Pipeline;
using CouponDesk.Tests.Pipeline.Resends;
using CouponDesk.TestSupport;
using Dapper;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;

namespace CouponDesk.Tests.Approvals;

/// <summary>
/// 발송 취소 and 미사용 쿠폰 일괄 폐기 under two-person approval (spec §1.3 items 3 and 6): a pending cancel request holds
/// a scheduled campaign; approved it cancels, rejected the campaign starts (late); expired (24 h, the expiry job with a
/// moved clock) the campaign goes to ERROR "취소 승인 요청 만료". A bulk discard needs a second ADMIN.
/// Phones 010-0000-0320… (this class only).
/// </summary>
public sealed class CampaignApprovalTests
{
    [Fact]
    public async Task A_pending_cancel_request_holds_the_campaign_until_it_is_approved_or_rejected()
    {
        await using var h = await ApprovalKit.StartAsync();
        using var requester = await AfterSendKit.OperatorAsync(h);
        using var approver = await AfterSendKit.SignedInAsync(h, Roles.Admin);
        var approvedCampaign = await ScheduledAsync(h, 320);
        var rejectedCampaign = await ScheduledAsync(h, 322);

        // With the switch on, neither cancel endpoint cancels directly.
        Assert.Equal("approval_required", await CsKit.CodeAsync(await requester.PostAsJsonAsync($"/api/campaigns/{approvedCampaign}/pipeline/cancel", new { reason = "고객사 요청" }), HttpStatusCode.Conflict));
        Assert.Equal("approval_required", await CsKit.CodeAsync(await requester.PostAsJsonAsync($"/api/campaigns/{approvedCampaign}/cancel", new { reason = "고객사 요청" }), HttpStatusCode.Conflict));

        var approveId = await RequestCancelAsync(requester, approvedCampaign);
        var rejectId = await RequestCancelAsync(requester, rejectedCampaign);
        Assert.Equal("approval_pending", await CsKit.CodeAsync(
            await requester.PostAsJsonAsync($"/api/campaigns/{approvedCampaign}/pipeline/cancel", new { reason = "다시", requestApproval = true }), HttpStatusCode.Conflict));

        // Both are due now, but held while their requests wait.
        await using (var c = await h.Database.OpenAsync())
        {
            await c.ExecuteAsync("UPDATE campaigns SET start_at = @now WHERE id IN @ids", new { now = DateTime.UtcNow.AddSeconds(-1), ids = new[] { approvedCampaign, rejectedCampaign } });
        }

        await Task.Delay(TimeSpan.FromSeconds(4));
        Assert.Equal(("SCHEDULED", "SCHEDULED"), (await h.StatusAsync(approvedCampaign), await h.StatusAsync(rejectedCampaign)));

        var approved = await (await ApprovalKit.ApproveAsync(approver, approveId)).JsonAsync(HttpStatusCode.OK);
        Assert.Equal(("승인되어 처리되었습니다.", "발송이 취소되었습니다."), (approved.GetProperty("message").GetString(), approved.GetProperty("result").GetString()));
        // 일괄취소 (C11) may pass through CANCELLING until the worker has settled what the agent holds (C13): wait for the end.
        Assert.Equal("CANCELLED", await h.WaitForAsync(approvedCampaign, 60, "CANCELLED", "PARTIALLY_FAILED", "COMPLETED", "FAILED"));

        Assert.Equal(HttpStatusCode.OK, (await ApprovalKit.RejectAsync(approver, rejectId, "예정대로 발송")).StatusCode);
        Assert.NotEqual("SCHEDULED", await h.WaitForAsync(rejectedCampaign, 60, "ISSUING", "SENDING", "COMPLETED"));
        var target = (await ApprovalKit.ListAsync(requester, "mine")).EnumerateArray().Single(l => l.GetProperty("id").GetInt64() == approveId);
        Assert.Equal(("발송 취소", "일괄취소 · 사유: 고객사 요청으로 취소"), (target.GetProperty("kindLabel").GetString(), target.GetProperty("content").GetString()));
    }

    [Fact]
    public async Task Requests_expire_after_24_hours_and_an_expired_cancel_request_stops_its_campaign()
    {
        await using var h = await ApprovalKit.StartAsync();
        using var requester = await AfterSendKit.OperatorAsync(h);
        var campaign = await ScheduledAsync(h, 330);
        var id = await RequestCancelAsync(requester, campaign);
        var created = await AfterSendKit.ScalarAsync<DateTime>(h, "SELECT created_at FROM approval_requests WHERE id = @id", new { id });

        var clock = new FakeTimeProvider(new DateTimeOffset(DateTime.SpecifyKind(created, DateTimeKind.Utc)).AddHours(23).AddMinutes(59));
        var expiry = Expiry(h, clock);
        Assert.Equal(0, await expiry.ExpireDueAsync(CancellationToken.None));
        Assert.Equal("PENDING", await ApprovalKit.StatusAsync(h, id));

        clock.Advance(TimeSpan.FromMinutes(2));
        Assert.Equal(1, await expiry.ExpireDueAsync(CancellationToken.None));
        Assert.Equal("EXPIRED", await ApprovalKit.StatusAsync(h, id));
        Assert.Equal(0, await expiry.ExpireDueAsync(CancellationToken.None)); // once
        Assert.Equal("ERROR", await h.StatusAsync(campaign));
        Assert.Contains("취소 승인 요청 만료", await AfterSendKit.ScalarAsync<string>(h, "SELECT stop_reason FROM campaign_runs WHERE campaign_id = @campaign", new { campaign }), StringComparison.Ordinal);
        Assert.Equal(1, await AfterSendKit.ScalarAsync<int>(h, "SELECT COUNT(*) FROM audit_log WHERE action = 'approval.expired' AND target_id = @id", new { id = id.ToString(System.Globalization.CultureInfo.InvariantCulture) }));
        using var approver = await AfterSendKit.OperatorAsync(h);
        Assert.Equal("approval_already_handled", await CsKit.CodeAsync(await ApprovalKit.ApproveAsync(approver, id), HttpStatusCode.Conflict));
        Assert.Equal("만료", (await ApprovalKit.ListAsync(requester, "mine"))[0].GetProperty("statusLabel").GetString());
    }

    [Fact]
    public async Task A_bulk_discard_request_needs_a_second_admin()
    {
        await using var h = await ApprovalKit.StartAsync();
        var campaign = await CsKit.DeliveredCampaignAsync(h, 2, 340);
        using var admin = await AfterSendKit.SignedInAsync(h, Roles.Admin);
        using var secondAdmin = await AfterSendKit.SignedInAsync(h, Roles.Admin);
        using var operatorClient = await AfterSendKit.OperatorAsync(h);
        var eventName = await AfterSendKit.ScalarAsync<string>(h, "SELECT event_name FROM campaigns WHERE id = @campaign", new { campaign });
        var path = $"/api/campaigns/{campaign}/coupons/discard-unused";

        Assert.Equal("approval_required", await CsKit.CodeAsync(await admin.PostAsJsonAsync(path, new { eventName }), HttpStatusCode.Conflict));
        Assert.Equal("validation_failed", await CsKit.CodeAsync(await admin.PostAsJsonAsync(path, new { eventName, requestApproval = true }), HttpStatusCode.BadRequest));
        var answer = await (await admin.PostAsJsonAsync(path, new { eventName, memo = "행사 종료", requestApproval = true })).JsonAsync(HttpStatusCode.Accepted);
        var id = answer.GetProperty("requestId").GetInt64();
        Assert.Equal(0, await AfterSendKit.ScalarAsync<int>(h, "SELECT COUNT(*) FROM coupon_cancels WHERE campaign_id = @campaign", new { campaign }));

        // An OPERATOR neither sees it nor may approve it.
        Assert.Equal(0, await ApprovalKit.CountAsync(operatorClient));
        Assert.Equal("approval_admin_required", await CsKit.CodeAsync(await ApprovalKit.ApproveAsync(operatorClient, id), HttpStatusCode.Forbidden));
        Assert.Equal("PENDING", await ApprovalKit.StatusAsync(h, id));

        var approved = await (await ApprovalKit.ApproveAsync(secondAdmin, id)).JsonAsync(HttpStatusCode.OK);
        Assert.True(approved.GetProperty("executed").GetBoolean(), approved.GetRawText());
        Assert.Equal(2, await AfterSendKit.ScalarAsync<int>(h, "SELECT COUNT(*) FROM coupon_cancels WHERE campaign_id = @campaign AND source = 'BULK_DISCARD'", new { campaign }));
    }

    /// <summary>A SCHEDULED campaign whose start is a day away (the starter leaves it alone until a test moves it).</summary>
    private static Task<long> ScheduledAsync(PipelineHarness h, int firstPhone) =>
        PipelineCampaigns.ScheduleAsync(h.Database.Connections, h.BackOffice.Services.GetRequiredService<PiiProtector>(), 2, firstPhone,
            sendAtUtc: DateTime.UtcNow.AddMinutes(30), startAtUtc: DateTime.UtcNow.AddDays(1));

    private static async Task<long> RequestCancelAsync(HttpClient client, long campaign)
    {
        var answer = await (await client.PostAsJsonAsync($"/api/campaigns/{campaign}/pipeline/cancel", new { reason = "고객사 요청으로 취소", requestApproval = true })).JsonAsync(HttpStatusCode.Accepted);
        Assert.Equal("승인 요청이 등록되었습니다.", answer.GetProperty("message").GetString());
        return answer.GetProperty("requestId").GetInt64();
    }

    /// <summary>The expiry as the 5-minute job runs it, with a clock the test moves.</summary>
    private static ApprovalRequests Expiry(PipelineHarness h, TimeProvider clock)
    {
        var s = h.BackOffice.Services;
        return new ApprovalRequests(s.GetRequiredService<DbConnectionFactory>(), s.GetServices<IApprovalAction>(), s.GetRequiredService<ApprovalOptions>(),
            s.GetRequiredService<PiiProtector>(), s.GetRequiredService<AuditTrail>(), clock, NullLogger<ApprovalRequests>.Instance);
    }
}
