using System.Net;
using System.Net.Http.Json;
using System.Text;
using CouponDesk.Security;
using CouponDesk.Tests.Accounts;
using Dapper;

namespace CouponDesk.Tests.Reconciliation;

/// <summary>발급 확인 필요 (spec §3.10, P23): list, settlement with cancels at the COUFUN stand-in, refusals that change nothing, CSV.</summary>
public sealed class InDoubtOrderTests(InDoubtFactory factory) : IClassFixture<InDoubtFactory>
{
    [Fact]
    public async Task Staff_see_open_orders_with_their_details_and_a_viewer_is_refused()
    {
        var campaign = await factory.Data.CampaignAsync(2);
        var (id, trId) = await factory.Data.InDoubtOrderAsync(campaign);
        var operatorClient = await factory.CreateClientAsync(Roles.Operator);

        var open = await (await operatorClient.GetAsync("/api/in-doubt-orders?status=open")).JsonAsync(HttpStatusCode.OK);
        var item = open.GetProperty("items").EnumerateArray().Single(x => x.GetProperty("id").GetInt64() == id);
        Assert.Equal(trId, item.GetProperty("trId").GetString());
        Assert.Equal(campaign, item.GetProperty("campaignId").GetInt64());
        Assert.Equal("파이프라인 테스트", item.GetProperty("eventName").GetString());
        Assert.Equal(2, item.GetProperty("createCount").GetInt32());
        Assert.Equal(9000, item.GetProperty("value").GetInt64());
        Assert.Equal("미확인", item.GetProperty("stateLabel").GetString());
        Assert.StartsWith("[12] ", item.GetProperty("error").GetString());
        Assert.Matches(@"^\d{4}-\d{2}-\d{2} \d{2}:\d{2}$", item.GetProperty("requestedAtKst").GetString());
        var settled = await (await operatorClient.GetAsync("/api/in-doubt-orders?status=settled")).JsonAsync(HttpStatusCode.OK);
        Assert.DoesNotContain(settled.GetProperty("items").EnumerateArray(), x => x.GetProperty("id").GetInt64() == id);

        var viewer = await factory.CreateClientAsync(Roles.Viewer);
        Assert.Equal(HttpStatusCode.Forbidden, (await viewer.GetAsync("/api/in-doubt-orders")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await viewer.GetAsync("/api/reconciliation/daily")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await viewer.GetAsync("/api/in-doubt-orders/export.csv")).StatusCode);
    }

    [Theory]
    [InlineData("status=OPEN", "status")]
    [InlineData("status=open%27--", "status")]
    [InlineData("limit=0", "limit")]
    [InlineData("limit=101", "limit")]
    [InlineData("cursor=-5", "cursor")]
    public async Task Bad_list_filters_are_refused_with_the_field_named(string query, string field)
    {
        var client = await factory.CreateClientAsync(Roles.Operator);

        var problem = await (await client.GetAsync("/api/in-doubt-orders?" + query)).JsonAsync(HttpStatusCode.BadRequest);

        Assert.Equal("validation_failed", problem.GetProperty("code").GetString());
        Assert.True(problem.GetProperty("errors").TryGetProperty(field, out _));
    }

    [Fact]
    public async Task Pages_newest_first_by_cursor()
    {
        var campaign = await factory.Data.CampaignAsync(1);
        var ids = new List<long>();
        for (var i = 0; i < 3; i++)
        {
            ids.Add((await factory.Data.InDoubtOrderAsync(campaign)).Id);
        }

        var client = await factory.CreateClientAsync(Roles.Admin);
        var first = await (await client.GetAsync("/api/in-doubt-orders?status=all&limit=2")).JsonAsync(HttpStatusCode.OK);
        Assert.Equal([ids[2], ids[1]], first.GetProperty("items").EnumerateArray().Select(x => x.GetProperty("id").GetInt64()));
        var cursor = first.GetProperty("nextCursor").GetInt64();
        var second = await (await client.GetAsync($"/api/in-doubt-orders?status=all&limit=1&cursor={cursor}")).JsonAsync(HttpStatusCode.OK);
        Assert.Equal(ids[0], second.GetProperty("items")[0].GetProperty("id").GetInt64());
    }

    [Fact]
    public async Task An_admin_settles_not_issued_once_and_a_second_settlement_is_a_conflict_that_changes_nothing()
    {
        var campaign = await factory.Data.CampaignAsync(1);
        var (id, _) = await factory.Data.InDoubtOrderAsync(campaign);
        var operatorClient = await factory.CreateClientAsync(Roles.Operator);
        Assert.Equal(HttpStatusCode.Forbidden, (await operatorClient.PostAsJsonAsync($"/api/in-doubt-orders/{id}/settle", new { outcome = "NOT_ISSUED", memo = "x" })).StatusCode);
        Assert.Equal("IN_DOUBT", await StatusAsync(id));

        var admin = await factory.CreateClientAsync(Roles.Admin);
        var settled = await (await admin.PostAsJsonAsync($"/api/in-doubt-orders/{id}/settle", new { outcome = "NOT_ISSUED", memo = "공급사 확인: 생성 내역 없음" })).JsonAsync(HttpStatusCode.OK);
        Assert.Equal("SETTLED_NOT_ISSUED", settled.GetProperty("status").GetString());
        Assert.Equal("미발급 확인", settled.GetProperty("stateLabel").GetString());
        Assert.Equal("공급사 확인: 생성 내역 없음", settled.GetProperty("memo").GetString());
        Assert.False(string.IsNullOrEmpty(settled.GetProperty("settledBy").GetString()));

        var again = await (await admin.PostAsJsonAsync($"/api/in-doubt-orders/{id}/settle", new { outcome = "ISSUED", memo = "두 번째" })).JsonAsync(HttpStatusCode.Conflict);
        Assert.Equal("ALREADY_SETTLED", again.GetProperty("code").GetString());
        await using var c = await factory.Database.OpenAsync();
        Assert.Equal("공급사 확인: 생성 내역 없음", await c.ExecuteScalarAsync<string>("SELECT settle_memo FROM issuance_orders WHERE id = @id", new { id }));
        Assert.Equal(1, await c.ExecuteScalarAsync<int>("SELECT COUNT(*) FROM audit_log WHERE action = 'in_doubt.settled' AND target_id = @id", new { id = id.ToString(System.Globalization.CultureInfo.InvariantCulture) }));
        var listed = await (await operatorClient.GetAsync("/api/in-doubt-orders?status=settled")).JsonAsync(HttpStatusCode.OK);
        Assert.Contains(listed.GetProperty("items").EnumerateArray(), x => x.GetProperty("id").GetInt64() == id);
    }

    [Fact]
    public async Task Settling_issued_cancels_each_number_at_COUFUN_counts_already_cancelled_as_done_and_reports_a_used_one_masked()
    {
        var campaign = await factory.Data.CampaignAsync(1);
        var (id, trId) = await factory.Data.InDoubtOrderAsync(campaign, count: 3);
        var numbers = await ReconciliationData.BuyAtStandInAsync(factory.StandIn, trId, 3);
        (await factory.StandIn.CouponEventAsync("cancel", numbers[1])).EnsureSuccessStatusCode(); // the supplier cancelled it already
        (await factory.StandIn.CouponEventAsync("use", numbers[2])).EnsureSuccessStatusCode(); // someone used it
        var admin = await factory.CreateClientAsync(Roles.Admin);

        var response = await admin.PostAsJsonAsync($"/api/in-doubt-orders/{id}/settle", new { outcome = "ISSUED", memo = "공급사가 3건 생성 확인", couponNumbers = numbers.Select(n => " " + n[..4] + "-" + n[4..]).ToArray() });
        var body = await response.Content.ReadAsStringAsync();
        var settled = await response.JsonAsync(HttpStatusCode.OK);

        Assert.Equal("100", await ReconciliationData.StandInStatusAsync(factory.StandIn, numbers[0]));
        Assert.Equal("100", await ReconciliationData.StandInStatusAsync(factory.StandIn, numbers[1]));
        var cancels = settled.GetProperty("cancels").EnumerateArray().ToList();
        Assert.Equal(["DONE", "DONE", "REFUSED"], cancels.Select(x => x.GetProperty("status").GetString()));
        Assert.StartsWith("[17]", cancels[2].GetProperty("resultMessage").GetString());
        Assert.Equal("정리 완료", settled.GetProperty("stateLabel").GetString());
        foreach (var number in numbers)
        {
            Assert.DoesNotContain(number, body, StringComparison.Ordinal);
        }

        Assert.EndsWith(numbers[0][^4..], cancels[0].GetProperty("couponNumber").GetString());
        await using var c = await factory.Database.OpenAsync();
        var audit = await c.QueryAsync<string>("SELECT COALESCE(details, '') FROM audit_log WHERE target_id = @id AND action LIKE 'in_doubt.%'", new { id = id.ToString(System.Globalization.CultureInfo.InvariantCulture) });
        Assert.Equal(2, audit.Count());
        Assert.All(audit, d => Assert.DoesNotContain(numbers[0], d, StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_failed_cancel_stays_retryable_and_the_retry_finishes_it()
    {
        var campaign = await factory.Data.CampaignAsync(1);
        var (id, trId) = await factory.Data.InDoubtOrderAsync(campaign, count: 1);
        var numbers = await ReconciliationData.BuyAtStandInAsync(factory.StandIn, trId, 1);
        var admin = await factory.CreateClientAsync(Roles.Admin);
        await factory.StandIn.SetFaultsAsync(new { endpoints = new[] { "cancel" }, forcedCodeRate = 1.0, forcedCode = "99" });
        try
        {
            var settled = await (await admin.PostAsJsonAsync($"/api/in-doubt-orders/{id}/settle", new { outcome = "ISSUED", memo = "생성 확인", couponNumbers = numbers })).JsonAsync(HttpStatusCode.OK);
            Assert.Equal("FAILED", settled.GetProperty("cancels")[0].GetProperty("status").GetString());
            Assert.Equal("발급됨 확인", settled.GetProperty("stateLabel").GetString());
            Assert.Equal("000", await ReconciliationData.StandInStatusAsync(factory.StandIn, numbers[0]));
        }
        finally
        {
            await factory.StandIn.ClearFaultsAsync();
        }

        var operatorClient = await factory.CreateClientAsync(Roles.Operator);
        Assert.Equal(HttpStatusCode.Forbidden, (await operatorClient.PostAsync($"/api/in-doubt-orders/{id}/cancels/retry", null)).StatusCode);
        var retried = await (await admin.PostAsync($"/api/in-doubt-orders/{id}/cancels/retry", null)).JsonAsync(HttpStatusCode.OK);
        Assert.Equal("DONE", retried.GetProperty("cancels")[0].GetProperty("status").GetString());
        Assert.Equal("정리 완료", retried.GetProperty("stateLabel").GetString());
        Assert.Equal("100", await ReconciliationData.StandInStatusAsync(factory.StandIn, numbers[0]));
        Assert.Equal("NOTHING_TO_RETRY", (await (await admin.PostAsync($"/api/in-doubt-orders/{id}/cancels/retry", null)).JsonAsync(HttpStatusCode.Conflict)).GetProperty("code").GetString());
    }

    public static TheoryData<string, string> HostileBodies => new()
    {
        { "{\"outcome\":\"NOT_ISSUED\",\"memo\":", "malformed_body" },
        { "{\"outcome\":\"NOT_ISSUED\",\"memo\":5}", "malformed_body" },
        { "{\"outcome\":\"NOT_ISSUED\"}", "memo" },
        { "{\"outcome\":\"NOT_ISSUED\",\"memo\":\"   \"}", "memo" },
        { "{\"outcome\":\"NOT_ISSUED\",\"memo\":\"" + new string('가', 501) + "\"}", "memo" },
        { "{\"outcome\":\"NOT_ISSUED\",\"memo\":\"a\\u0000b\"}", "memo" },
        { "{\"outcome\":\"NOT_ISSUED\",\"memo\":\"\\u202Ememo\"}", "memo" },
        { "{\"outcome\":\"MAYBE\",\"memo\":\"m\"}", "outcome" },
        { "{\"outcome\":\"not_issued' OR 1=1 --\",\"memo\":\"m\"}", "outcome" },
        { "{\"outcome\":\"NOT_ISSUED\",\"memo\":\"m\",\"couponNumbers\":[\"900000000001\"]}", "couponNumbers" },
        { "{\"outcome\":\"ISSUED\",\"memo\":\"m\",\"couponNumbers\":[\"900000000001\",\"9000-0000-0001\"]}", "couponNumbers[1]" },
        { "{\"outcome\":\"ISSUED\",\"memo\":\"m\",\"couponNumbers\":[\"" + new string('9', 31) + "\"]}", "couponNumbers[0]" },
        { "{\"outcome\":\"ISSUED\",\"memo\":\"m\",\"couponNumbers\":[\"쿠폰번호\"]}", "couponNumbers[0]" },
        { "{\"outcome\":\"ISSUED\",\"memo\":\"m\",\"couponNumbers\":[null]}", "couponNumbers[0]" },
        { "{\"outcome\":\"ISSUED\",\"memo\":\"m\",\"couponNumbers\":[\"9000\\n0001\"]}", "couponNumbers[0]" },
        { "{\"outcome\":\"ISSUED\",\"memo\":\"m\",\"couponNumbers\":[\"900000000001\",\"900000000002\",\"900000000003\"]}", "couponNumbers" },
        { "{\"outcome\":\"ISSUED\",\"memo\":\"m\",\"couponNumbers\":[\"1\",\"2\",\"3\",\"4\",\"5\",\"6\",\"7\",\"8\",\"9\",\"10\",\"11\"]}", "couponNumbers" },
    };

    [Theory]
    [MemberData(nameof(HostileBodies))]
    public async Task Malformed_and_hostile_settlements_are_refused_and_change_nothing(string json, string expected)
    {
        var campaign = await factory.Data.CampaignAsync(1);
        var (id, _) = await factory.Data.InDoubtOrderAsync(campaign, count: 2);
        var admin = await factory.CreateClientAsync(Roles.Admin);

        var problem = await (await admin.PostAsync($"/api/in-doubt-orders/{id}/settle", new StringContent(json, Encoding.UTF8, "application/json"))).JsonAsync(HttpStatusCode.BadRequest);

        if (expected == "malformed_body")
        {
            Assert.Equal("malformed_body", problem.GetProperty("code").GetString());
        }
        else
        {
            Assert.Equal("validation_failed", problem.GetProperty("code").GetString());
            Assert.True(problem.GetProperty("errors").TryGetProperty(expected, out _), problem.ToString());
        }

        await AssertUnchangedAsync(id);
    }

    [Fact]
    public async Task An_oversized_body_an_unknown_order_and_a_recipients_own_coupon_are_refused_and_change_nothing()
    {
        var campaign = await factory.Data.CampaignAsync(1);
        var (id, _) = await factory.Data.InDoubtOrderAsync(campaign, count: 2);
        var admin = await factory.CreateClientAsync(Roles.Admin);

        var huge = await admin.PostAsync($"/api/in-doubt-orders/{id}/settle", new StringContent("{\"outcome\":\"NOT_ISSUED\",\"memo\":\"" + new string('a', 40_000) + "\"}", Encoding.UTF8, "application/json"));
        // Kestrel stops reading at 16 KB (413); the in-process test server has no body limit, so the memo rule answers.
        Assert.Contains(huge.StatusCode, new[] { HttpStatusCode.RequestEntityTooLarge, HttpStatusCode.BadRequest });
        var many = await admin.PostAsJsonAsync($"/api/in-doubt-orders/{id}/settle", new { outcome = "ISSUED", memo = "m", couponNumbers = Enumerable.Range(0, 5000).Select(i => "9" + i).ToArray() });
        Assert.Contains(many.StatusCode, new[] { HttpStatusCode.RequestEntityTooLarge, HttpStatusCode.BadRequest });
        await AssertUnchangedAsync(id);
        Assert.Equal(HttpStatusCode.NotFound, (await admin.PostAsJsonAsync("/api/in-doubt-orders/999999999/settle", new { outcome = "NOT_ISSUED", memo = "m" })).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await admin.PostAsJsonAsync("/api/in-doubt-orders/abc/settle", new { outcome = "NOT_ISSUED", memo = "m" })).StatusCode);

        // A number CouponDesk holds for a recipient must never be cancelled from this screen.
        var held = "9" + Random.Shared.NextInt64(10_000_000_000, 99_999_999_999).ToString(System.Globalization.CultureInfo.InvariantCulture);
        await factory.Data.CouponAsync(held, DateTime.UtcNow);
        var problem = await (await admin.PostAsJsonAsync($"/api/in-doubt-orders/{id}/settle", new { outcome = "ISSUED", memo = "m", couponNumbers = new[] { held } })).JsonAsync(HttpStatusCode.BadRequest);
        Assert.True(problem.GetProperty("errors").TryGetProperty("couponNumbers[0]", out _));
        await AssertUnchangedAsync(id);

        // A number entered for one order cannot be entered for another.
        var (other, otherTr) = await factory.Data.InDoubtOrderAsync(campaign, count: 1);
        var numbers = await ReconciliationData.BuyAtStandInAsync(factory.StandIn, otherTr, 1);
        await (await admin.PostAsJsonAsync($"/api/in-doubt-orders/{other}/settle", new { outcome = "ISSUED", memo = "m", couponNumbers = numbers })).JsonAsync(HttpStatusCode.OK);
        await (await admin.PostAsJsonAsync($"/api/in-doubt-orders/{id}/settle", new { outcome = "ISSUED", memo = "m", couponNumbers = numbers })).JsonAsync(HttpStatusCode.BadRequest);
        await AssertUnchangedAsync(id);
    }

    [Fact]
    public async Task The_supplier_export_is_masked_but_for_TR_ID_formula_safe_and_audited()
    {
        var campaign = await factory.Data.CampaignAsync(1);
        var (id, trId) = await factory.Data.InDoubtOrderAsync(campaign, count: 1);
        var admin = await factory.CreateClientAsync(Roles.Admin);
        await (await admin.PostAsJsonAsync($"/api/in-doubt-orders/{id}/settle", new { outcome = "NOT_ISSUED", memo = "=HYPERLINK(\"http://x\") 고객 010-0000-1234 문의" })).JsonAsync(HttpStatusCode.OK);
        var operatorClient = await factory.CreateClientAsync(Roles.Operator);

        var response = await operatorClient.GetAsync("/api/in-doubt-orders/export.csv?status=all");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var bytes = await response.Content.ReadAsByteArrayAsync();
        Assert.Equal(new byte[] { 0xEF, 0xBB, 0xBF }, bytes[..3]);
        var text = Encoding.UTF8.GetString(bytes, 3, bytes.Length - 3);
        // Korean headers the supplier still recognises (issue 14 point 15).
        Assert.StartsWith("\"요청일시\",\"캠페인 ID\",\"이벤트명\",\"요청번호(TR_ID)\",\"상품코드(GOODS_ID)\"", text);
        Assert.Contains(trId, text);
        Assert.Contains("\"'=HYPERLINK", text);
        Assert.DoesNotContain("010-0000-1234", text);
        Assert.Contains("010-****-1234", text);
        Assert.Equal(HttpStatusCode.BadRequest, (await operatorClient.GetAsync("/api/in-doubt-orders/export.csv?status=evil")).StatusCode);
        await using var c = await factory.Database.OpenAsync();
        Assert.True(await c.ExecuteScalarAsync<int>("SELECT COUNT(*) FROM audit_log WHERE action = 'in_doubt.exported'") >= 1);
    }

    private async Task<string> StatusAsync(long id)
    {
        await using var c = await factory.Database.OpenAsync();
        return await c.ExecuteScalarAsync<string>("SELECT status FROM issuance_orders WHERE id = @id", new { id }) ?? "";
    }

    private async Task AssertUnchangedAsync(long id)
    {
        await using var c = await factory.Database.OpenAsync();
        var row = await c.QuerySingleAsync<(string Status, long? By, string? Memo)>("SELECT status, settled_by, settle_memo FROM issuance_orders WHERE id = @id", new { id });
        Assert.Equal(("IN_DOUBT", (long?)null, (string?)null), row);
        Assert.Equal(0, await c.ExecuteScalarAsync<int>("SELECT COUNT(*) FROM in_doubt_cancels WHERE order_id = @id", new { id }));
        Assert.Equal(0, await c.ExecuteScalarAsync<int>("SELECT COUNT(*) FROM audit_log WHERE action LIKE 'in_doubt.%' AND target_id = @id", new { id = id.ToString(System.Globalization.CultureInfo.InvariantCulture) }));
    }

}
