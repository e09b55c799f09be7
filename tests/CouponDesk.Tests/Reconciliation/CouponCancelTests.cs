using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using CouponDesk.Features.Pipeline.Cancels;
using CouponDesk.Security;
using CouponDesk.Tests.Accounts;
using Dapper;
using Microsoft.Extensions.DependencyInjection;

namespace CouponDesk.Tests.Reconciliation;

/// <summary>
/// 공급사 취소 실패 (spec §4.1 C13 "listed for an ADMIN", D-RECON-5): the list of coupon cancels that need a person, masked;
/// an ADMIN's retry (a fresh follow-up window the workers honour) and resolution; refusals that change nothing.
/// </summary>
public sealed class CouponCancelTests(InDoubtFactory factory) : IClassFixture<InDoubtFactory>
{
    [Fact]
    public async Task Staff_see_the_cancels_that_need_a_person_masked_and_a_viewer_is_refused()
    {
        var campaign = await factory.Data.CampaignAsync(3);
        var (gaveUp, gaveUpNumber) = await CancelAsync(campaign, 1, CouponCancelState.GaveUp, code: "99", error: "99 시스템 오류");
        var (refused, _) = await CancelAsync(campaign, 2, CouponCancelState.Refused, code: "17", error: "17 이미 사용된 쿠폰");
        var (retrying, _) = await CancelAsync(campaign, 3, CouponCancelState.Retry, code: null, error: "no answer (TimeoutRejectedException)");
        var operatorClient = await factory.CreateClientAsync(Roles.Operator);

        var response = await operatorClient.GetAsync("/api/reconciliation/coupon-cancels");
        var body = await response.Content.ReadAsStringAsync();
        var open = await response.JsonAsync(HttpStatusCode.OK);
        var ids = Ids(open);
        Assert.Contains(gaveUp, ids);
        Assert.Contains(refused, ids);
        Assert.DoesNotContain(retrying, ids);
        Assert.True(ids.IndexOf(refused) < ids.IndexOf(gaveUp)); // newest coupon first
        Assert.DoesNotContain(gaveUpNumber, body, StringComparison.Ordinal);

        var item = open.GetProperty("items").EnumerateArray().Single(x => x.GetProperty("couponId").GetInt64() == gaveUp);
        Assert.Equal(campaign, item.GetProperty("campaignId").GetInt64());
        Assert.Equal("파이프라인 테스트", item.GetProperty("eventName").GetString());
        Assert.Equal("GAVE_UP", item.GetProperty("state").GetString());
        Assert.Equal("자동 재시도 중단", item.GetProperty("stateLabel").GetString());
        Assert.Equal("일괄취소", item.GetProperty("sourceLabel").GetString());
        Assert.Equal(145, item.GetProperty("attempts").GetInt32());
        Assert.Equal("**** **** " + gaveUpNumber[^4..], item.GetProperty("couponNumber").GetString());
        Assert.Equal("아메리카노 T", item.GetProperty("goodsName").GetString());
        Assert.Equal(4230, item.GetProperty("price").GetInt32());
        Assert.Equal(4500, item.GetProperty("faceValue").GetInt32());
        Assert.Equal("99", item.GetProperty("lastCode").GetString());
        Assert.StartsWith("[99] ", item.GetProperty("lastMessage").GetString());
        Assert.Equal(JsonValueKind.String, item.GetProperty("firstAttemptAt").ValueKind);

        Assert.Equal([gaveUp], Ids(await (await operatorClient.GetAsync("/api/reconciliation/coupon-cancels?state=GAVE_UP")).JsonAsync(HttpStatusCode.OK)).Where(x => x == gaveUp || x == refused));
        Assert.Contains(retrying, Ids(await (await operatorClient.GetAsync("/api/reconciliation/coupon-cancels?state=all")).JsonAsync(HttpStatusCode.OK)));

        var viewer = await factory.CreateClientAsync(Roles.Viewer);
        Assert.Equal(HttpStatusCode.Forbidden, (await viewer.GetAsync("/api/reconciliation/coupon-cancels")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await viewer.GetAsync($"/api/reconciliation/coupon-cancels/{gaveUp}")).StatusCode);
    }

    [Fact]
    public async Task Pages_newest_coupon_first_by_cursor()
    {
        var campaign = await factory.Data.CampaignAsync(3);
        var ids = new List<long>();
        for (var i = 1; i <= 3; i++)
        {
            ids.Add((await CancelAsync(campaign, i, CouponCancelState.Refused, "17", "17 used")).CouponId);
        }

        var client = await factory.CreateClientAsync(Roles.Admin);
        var first = await (await client.GetAsync("/api/reconciliation/coupon-cancels?state=REFUSED&limit=2")).JsonAsync(HttpStatusCode.OK);
        Assert.Equal([ids[2], ids[1]], Ids(first));
        var cursor = first.GetProperty("nextCursor").GetInt64();
        var second = await (await client.GetAsync($"/api/reconciliation/coupon-cancels?state=REFUSED&limit=1&cursor={cursor}")).JsonAsync(HttpStatusCode.OK);
        Assert.Equal(ids[0], Ids(second)[0]);
    }

    [Theory]
    [InlineData("state=gave_up", "state")]
    [InlineData("state=DONE", "state")]
    [InlineData("state=open%27--", "state")]
    [InlineData("limit=0", "limit")]
    [InlineData("limit=101", "limit")]
    [InlineData("cursor=0", "cursor")]
    public async Task Bad_list_filters_are_refused_with_the_field_named(string query, string field)
    {
        var client = await factory.CreateClientAsync(Roles.Operator);

        var problem = await (await client.GetAsync("/api/reconciliation/coupon-cancels?" + query)).JsonAsync(HttpStatusCode.BadRequest);

        Assert.Equal("validation_failed", problem.GetProperty("code").GetString());
        Assert.True(problem.GetProperty("errors").TryGetProperty(field, out _));
    }

    [Fact]
    public async Task An_admin_retry_restarts_the_window_and_the_follow_up_cancels_the_coupon_at_COUFUN()
    {
        var campaign = await factory.Data.CampaignAsync(2);
        var (trId, count) = ("CDTC" + Guid.NewGuid().ToString("N")[..16].ToUpperInvariant(), 2);
        var numbers = await ReconciliationData.BuyAtStandInAsync(factory.StandIn, trId, count);
        var (couponId, _) = await CancelAsync(campaign, 1, CouponCancelState.GaveUp, "99", "99 시스템 오류", numbers[0]);
        var (otherId, _) = await CancelAsync(campaign, 2, CouponCancelState.GaveUp, "99", "99 시스템 오류", numbers[1]);
        var operatorClient = await factory.CreateClientAsync(Roles.Operator);
        Assert.Equal(HttpStatusCode.Forbidden, (await operatorClient.PostAsJsonAsync($"/api/reconciliation/coupon-cancels/{couponId}/retry", new { reason = "x" })).StatusCode);
        Assert.Equal(CouponCancelState.GaveUp, (await RowAsync(couponId)).State);

        var admin = await factory.CreateClientAsync(Roles.Admin);
        var retried = await (await admin.PostAsJsonAsync($"/api/reconciliation/coupon-cancels/{couponId}/retry", new { reason = "공급사 장애 복구 확인" })).JsonAsync(HttpStatusCode.OK);
        Assert.Equal("RETRY", retried.GetProperty("state").GetString());
        Assert.Equal(1, retried.GetProperty("manualRetries").GetInt32());
        var again = await (await admin.PostAsJsonAsync($"/api/reconciliation/coupon-cancels/{couponId}/retry", new { reason = "두 번째" })).JsonAsync(HttpStatusCode.Conflict);
        Assert.Equal("CANCEL_NOT_GAVE_UP", again.GetProperty("code").GetString());
        Assert.Equal(1, (await RowAsync(couponId)).ManualRetries);
        Assert.Equal(1, await AuditCountAsync("coupon_cancel.retried", couponId));

        // COUFUN fails again: the row was given up two days after its first attempt, yet the fresh window keeps it retrying.
        var cancellations = factory.Services.GetRequiredService<CouponCancellations>();
        await factory.StandIn.SetFaultsAsync(new { endpoints = new[] { "cancel" }, forcedCodeRate = 1.0, forcedCode = "99" });
        try
        {
            Assert.Equal(1, await cancellations.AttemptDueAsync(campaign, CancellationToken.None));
        }
        finally
        {
            await factory.StandIn.ClearFaultsAsync();
        }

        var row = await RowAsync(couponId);
        Assert.Equal(CouponCancelState.Retry, row.State);
        Assert.Equal(146, row.Attempts);

        // The supplier is back: the follow-up cancels it. The other given-up row was not touched.
        await using (var c = await factory.Database.OpenAsync())
        {
            await c.ExecuteAsync("UPDATE coupon_cancels SET next_attempt_at = @now WHERE coupon_id = @couponId", new { couponId, now = DateTime.UtcNow.AddSeconds(-1) });
        }

        Assert.Equal(1, await cancellations.AttemptDueAsync(campaign, CancellationToken.None));
        Assert.Equal(CouponCancelState.Done, (await RowAsync(couponId)).State);
        Assert.Equal("100", await ReconciliationData.StandInStatusAsync(factory.StandIn, numbers[0]));
        Assert.Equal(CouponCancelState.GaveUp, (await RowAsync(otherId)).State);
    }

    [Fact]
    public async Task An_admin_resolves_a_refused_cancel_with_a_reason_kept_and_a_second_resolution_is_a_conflict()
    {
        var campaign = await factory.Data.CampaignAsync(1);
        var (couponId, _) = await CancelAsync(campaign, 1, CouponCancelState.Refused, "17", "17 이미 사용된 쿠폰");
        var admin = await factory.CreateClientAsync(Roles.Admin);
        Assert.Equal("CANCEL_NOT_GAVE_UP",
            (await (await admin.PostAsJsonAsync($"/api/reconciliation/coupon-cancels/{couponId}/retry", new { reason = "거절 건 재시도" })).JsonAsync(HttpStatusCode.Conflict)).GetProperty("code").GetString());

        var resolved = await (await admin.PostAsJsonAsync($"/api/reconciliation/coupon-cancels/{couponId}/resolve", new { reason = "공급사 정산 담당과 환불 처리 완료 (고객 010-0000-1234)" })).JsonAsync(HttpStatusCode.OK);

        Assert.Equal("DONE", resolved.GetProperty("state").GetString());
        Assert.Equal("별도 정산 완료", resolved.GetProperty("stateLabel").GetString());
        Assert.False(string.IsNullOrEmpty(resolved.GetProperty("resolvedBy").GetString()));
        Assert.Equal("공급사 정산 담당과 환불 처리 완료 (고객 010-****-1234)", resolved.GetProperty("resolvedReason").GetString());
        var again = await (await admin.PostAsJsonAsync($"/api/reconciliation/coupon-cancels/{couponId}/resolve", new { reason = "다시" })).JsonAsync(HttpStatusCode.Conflict);
        Assert.Equal("CANCEL_NOT_OPEN", again.GetProperty("code").GetString());
        await using var c = await factory.Database.OpenAsync();
        Assert.StartsWith("공급사 정산 담당과", await c.ExecuteScalarAsync<string>("SELECT resolved_reason FROM coupon_cancels WHERE coupon_id = @couponId", new { couponId }));
        Assert.Equal("CANCELLED", await c.ExecuteScalarAsync<string>("SELECT status FROM coupons WHERE id = @couponId", new { couponId }));
        Assert.Equal(1, await AuditCountAsync("coupon_cancel.resolved", couponId));
        var listed = await (await admin.GetAsync("/api/reconciliation/coupon-cancels?state=resolved")).JsonAsync(HttpStatusCode.OK);
        Assert.Contains(couponId, Ids(listed));
        Assert.DoesNotContain(couponId, Ids(await (await admin.GetAsync("/api/reconciliation/coupon-cancels?state=open&limit=100")).JsonAsync(HttpStatusCode.OK)));
    }

    public static TheoryData<string, string, string> HostileBodies => new()
    {
        { "retry", "{\"reason\":", "malformed_body" },
        { "retry", "{\"reason\":5}", "malformed_body" },
        { "retry", "{}", "reason" },
        { "resolve", "{\"reason\":\"   \"}", "reason" },
        { "resolve", "{\"reason\":\"" + new string('가', 501) + "\"}", "reason" },
        { "resolve", "{\"reason\":\"a\\u0000b\"}", "reason" },
        { "resolve", "{\"reason\":\"\\u202E환불\"}", "reason" },
        { "retry", "{\"reason\":\"\\u2066a\\u2069\"}", "reason" },
        { "retry", "{\"reason\":null}", "reason" },
    };

    [Theory]
    [MemberData(nameof(HostileBodies))]
    public async Task Malformed_missing_and_oversized_reasons_are_refused_and_change_nothing(string action, string json, string expected)
    {
        var campaign = await factory.Data.CampaignAsync(1);
        var (couponId, _) = await CancelAsync(campaign, 1, CouponCancelState.GaveUp, "99", "99 error");
        var admin = await factory.CreateClientAsync(Roles.Admin);

        var problem = await (await admin.PostAsync($"/api/reconciliation/coupon-cancels/{couponId}/{action}", new StringContent(json, Encoding.UTF8, "application/json"))).JsonAsync(HttpStatusCode.BadRequest);

        Assert.Equal(expected == "malformed_body" ? "malformed_body" : "validation_failed", problem.GetProperty("code").GetString());
        if (expected != "malformed_body")
        {
            Assert.True(problem.GetProperty("errors").TryGetProperty(expected, out _), problem.ToString());
        }

        await AssertUntouchedAsync(couponId);
    }

    [Fact]
    public async Task Unknown_and_malformed_ids_a_missing_body_and_a_huge_body_are_refused_and_change_nothing()
    {
        var campaign = await factory.Data.CampaignAsync(1);
        var (couponId, _) = await CancelAsync(campaign, 1, CouponCancelState.GaveUp, "99", "99 error");
        var admin = await factory.CreateClientAsync(Roles.Admin);

        Assert.Equal(HttpStatusCode.NotFound, (await admin.PostAsJsonAsync("/api/reconciliation/coupon-cancels/999999999/retry", new { reason = "m" })).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await admin.PostAsJsonAsync("/api/reconciliation/coupon-cancels/999999999/resolve", new { reason = "m" })).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await admin.PostAsJsonAsync("/api/reconciliation/coupon-cancels/abc/retry", new { reason = "m" })).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await admin.PostAsJsonAsync("/api/reconciliation/coupon-cancels/99999999999999999999/resolve", new { reason = "m" })).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await admin.GetAsync("/api/reconciliation/coupon-cancels/999999999")).StatusCode);
        var noBody = await admin.PostAsync($"/api/reconciliation/coupon-cancels/{couponId}/retry", null);
        Assert.Equal(HttpStatusCode.BadRequest, noBody.StatusCode);
        var huge = await admin.PostAsync($"/api/reconciliation/coupon-cancels/{couponId}/resolve", new StringContent("{\"reason\":\"" + new string('a', 40_000) + "\"}", Encoding.UTF8, "application/json"));
        // Kestrel stops reading at 16 KB (413); the in-process test server has no body limit, so the length rule answers.
        Assert.Contains(huge.StatusCode, new[] { HttpStatusCode.RequestEntityTooLarge, HttpStatusCode.BadRequest });
        var operatorClient = await factory.CreateClientAsync(Roles.Operator);
        Assert.Equal(HttpStatusCode.Forbidden, (await operatorClient.PostAsJsonAsync($"/api/reconciliation/coupon-cancels/{couponId}/resolve", new { reason = "m" })).StatusCode);
        var viewer = await factory.CreateClientAsync(Roles.Viewer);
        Assert.Equal(HttpStatusCode.Forbidden, (await viewer.PostAsJsonAsync($"/api/reconciliation/coupon-cancels/{couponId}/retry", new { reason = "m" })).StatusCode);

        await AssertUntouchedAsync(couponId);
    }

    [Fact]
    public async Task Two_admins_retrying_at_once_retry_it_once()
    {
        var campaign = await factory.Data.CampaignAsync(1);
        var (couponId, _) = await CancelAsync(campaign, 1, CouponCancelState.GaveUp, "99", "99 error");
        var admin = await factory.CreateClientAsync(Roles.Admin);

        var answers = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => admin.PostAsJsonAsync($"/api/reconciliation/coupon-cancels/{couponId}/retry", new { reason = "동시 요청" })));

        Assert.Equal(1, answers.Count(a => a.StatusCode == HttpStatusCode.OK));
        Assert.Equal(3, answers.Count(a => a.StatusCode == HttpStatusCode.Conflict));
        Assert.Equal(1, (await RowAsync(couponId)).ManualRetries);
        Assert.Equal(1, await AuditCountAsync("coupon_cancel.retried", couponId));
    }

    [Fact]
    public async Task The_dashboard_counts_given_up_cancels()
    {
        var client = await factory.CreateClientAsync(Roles.Viewer);
        var before = (await (await client.GetAsync("/api/dashboard")).JsonAsync(HttpStatusCode.OK)).GetProperty("gaveUpCouponCancels").GetInt32();
        var campaign = await factory.Data.CampaignAsync(2);
        await CancelAsync(campaign, 1, CouponCancelState.GaveUp, "99", "99 error");
        await CancelAsync(campaign, 2, CouponCancelState.Refused, "17", "17 used");

        var after = (await (await client.GetAsync("/api/dashboard")).JsonAsync(HttpStatusCode.OK)).GetProperty("gaveUpCouponCancels").GetInt32();

        Assert.Equal(before + 1, after);
    }

    /// <summary>
    /// A cancelled item's coupon and its <c>coupon_cancels</c> row as the follow-up leaves it: 145 attempts from two days
    /// ago (GAVE_UP) or one refusal. Returns the coupon id and its number (kept only to prove it never comes back).
    /// </summary>
    private async Task<(long CouponId, string Number)> CancelAsync(long campaign, int seq, string state, string? code, string? error, string? number = null)
    {
        number ??= "9" + Random.Shared.NextInt64(10_000_000_000, 99_999_999_999).ToString(CultureInfo.InvariantCulture);
        var first = DateTime.UtcNow.AddDays(-2);
        var couponId = await factory.Data.CouponAsync(number, first.AddHours(-1));
        await factory.Data.ItemAsync(campaign, seq, "CANCELLED", couponId);
        var attempts = state == CouponCancelState.Refused ? 1 : 145;
        var last = state == CouponCancelState.Refused ? first : first.AddHours(24);
        await using var c = await factory.Database.OpenAsync();
        await c.ExecuteAsync(
            """
            INSERT INTO coupon_cancels (coupon_id, campaign_id, source, state, attempts, next_attempt_at, last_code, last_error, created_at, first_attempt_at, last_attempt_at, finished_at, updated_at)
            VALUES (@couponId, @campaign, 'CAMPAIGN_CANCEL', @state, @attempts, @last, @code, @error, @first, @first, @last, IF(@state = 'RETRY', NULL, @last), @last)
            """, new { couponId, campaign, state, attempts, code, error, first, last });
        return (couponId, number);
    }

    private sealed record CancelRow(string State, int Attempts, int ManualRetries, DateTime UpdatedAt, string? ResolvedReason);

    private async Task<CancelRow> RowAsync(long couponId)
    {
        await using var c = await factory.Database.OpenAsync();
        return await c.QuerySingleAsync<CancelRow>(
            "SELECT state AS State, attempts AS Attempts, manual_retries AS ManualRetries, updated_at AS UpdatedAt, resolved_reason AS ResolvedReason FROM coupon_cancels WHERE coupon_id = @couponId",
            new { couponId });
    }

    private async Task AssertUntouchedAsync(long couponId)
    {
        var row = await RowAsync(couponId);
        Assert.Equal(CouponCancelState.GaveUp, row.State);
        Assert.Equal(0, row.ManualRetries);
        Assert.Null(row.ResolvedReason);
        await using var c = await factory.Database.OpenAsync();
        Assert.Equal("UNUSED", await c.ExecuteScalarAsync<string>("SELECT status FROM coupons WHERE id = @couponId", new { couponId }));
        Assert.Equal(0, await c.ExecuteScalarAsync<int>("SELECT COUNT(*) FROM audit_log WHERE action LIKE 'coupon_cancel.%' AND target_id = @id", new { id = couponId.ToString(CultureInfo.InvariantCulture) }));
    }

    private async Task<int> AuditCountAsync(string action, long couponId)
    {
        await using var c = await factory.Database.OpenAsync();
        return await c.ExecuteScalarAsync<int>("SELECT COUNT(*) FROM audit_log WHERE action = @action AND target_id = @id",
            new { action, id = couponId.ToString(CultureInfo.InvariantCulture) });
    }

    private static List<long> Ids(JsonElement page) => [.. page.GetProperty("items").EnumerateArray().Select(x => x.GetProperty("couponId").GetInt64())];
}
