using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using CouponDesk.Security;
using CouponDesk.Security.Pii;
using CouponDesk.TestSupport;
using Dapper;
using Microsoft.Extensions.DependencyInjection;

namespace CouponDesk.Tests.Dashboard;

/// <summary>
/// Each dashboard panel against rows as the pipeline, the result sync and the agent leave them (spec §3.8): the stage
/// arithmetic and reason of a stopped campaign, failure reasons per tab with their class, readiness warnings, the agent
/// backlog, in-doubt orders; and the refusals (bad period, no token). One database for the class, so the rows are unique.
/// </summary>
public sealed class DashboardRowsTests(CouponDeskFactory factory) : IClassFixture<CouponDeskFactory>
{
    private static long messageId = 970_000_000;

    [Fact]
    public async Task Shows_a_stopped_campaign_its_stages_failure_reasons_warnings_and_the_agent_backlog()
    {
        var now = DateTime.UtcNow;
        await using var c = await factory.Database.OpenAsync();
        var stopped = await InsertCampaignAsync(c, "ERROR", now.AddMinutes(-30), "99999991");
        await c.ExecuteAsync(
            """
            INSERT INTO campaign_runs (campaign_id, item_count, started_at, stop_code, stop_reason, updated_at)
            VALUES (@stopped, 10, @started, '98', '공급사 잔액 부족: 공급사 확인 후 재개하세요.', @now)
            """, new { stopped, started = now.AddMinutes(-20), now });
        string[] states = ["SENT", "SENT", "SENT", "QUEUED", "QUEUED", "ISSUED", "RENDER_FAILED", "ISSUE_FAILED", "SEND_FAILED", "PENDING"];
        string?[] codes = [null, null, null, null, null, null, "RENDER", "TRANSIENT", "31101", null];
        for (var i = 0; i < states.Length; i++)
        {
            await c.ExecuteAsync(
                """
                INSERT INTO delivery_items (campaign_id, list_id, seq, status, failure_code, failure_reason, created_at, updated_at)
                VALUES (@stopped, 0, @seq, @status, @code, '사유', @now, @now)
                """, new { stopped, seq = i + 1, status = states[i], code = codes[i], now });
        }

        // Today's messages: 3 delivered, a final failure, a resend-recommended failure, a lost result, one still pending.
        await InsertMessageAsync(c, stopped, "SUCCESS", "10000", now);
        await InsertMessageAsync(c, stopped, "SUCCESS", "10000", now);
        await InsertMessageAsync(c, stopped, "SUCCESS", "10000", now);
        await InsertMessageAsync(c, stopped, "FAILURE", "31101", now);
        await InsertMessageAsync(c, stopped, "FAILURE", "29002", now);
        await InsertMessageAsync(c, stopped, "RESULT_TIMEOUT", null, now);
        await InsertMessageAsync(c, stopped, "IN_AGENT", null, now);
        await InsertMessageAsync(c, stopped, "WITHDRAWN", null, now);
        await c.ExecuteAsync(
            """
            INSERT INTO issuance_orders (campaign_id, tr_id, goods_id, create_cnt, status, next_attempt_at, created_at, updated_at)
            VALUES (@stopped, @tr, '0000000101', 2, 'IN_DOUBT', @now, @now, @now)
            """, new { stopped, tr = "DASH" + Guid.NewGuid().ToString("N")[..10], now });

        // Upcoming: product not in the catalog, sender not registered, and 5 minutes is less than the 10-minute minimum lead.
        var upcoming = await InsertCampaignAsync(c, "SCHEDULED", now.AddMinutes(5), "99999992");
        var later = await InsertCampaignAsync(c, "SCHEDULED", now.AddDays(2), "99999993");

        // The agent has not taken a row due 10 minutes ago (REQ_DATE in the database's clock, as the pipeline writes it).
        await c.ExecuteAsync(
            """
            INSERT INTO UMS_MSG (CLIENT_KEY, REQ_CH, MSG_STATUS, REQ_DATE, CALLBACK_NUMBER)
            VALUES (@key, 'MMS', 'ready', NOW() - INTERVAL 10 MINUTE, '16000000')
            """, new { key = "DASHDELAY" + Guid.NewGuid().ToString("N")[..12] });

        using var viewer = await factory.CreateClientAsync(Roles.Viewer);
        var json = await GetAsync(viewer, "/api/dashboard");

        Assert.Equal("today", json.GetProperty("period").GetString());
        var today = json.GetProperty("today");
        Assert.Equal(7, today.GetProperty("total").GetInt32());
        Assert.Equal(3, today.GetProperty("succeeded").GetInt32());
        Assert.Equal(3, today.GetProperty("failed").GetInt32());
        Assert.Equal(1, today.GetProperty("pending").GetInt32());
        Assert.Equal(50.0, json.GetProperty("successRate").GetProperty("today").GetDouble());

        var running = Assert.Single(json.GetProperty("runningCampaigns").EnumerateArray(), r => r.GetProperty("id").GetInt64() == stopped);
        Assert.Equal("오류", running.GetProperty("statusLabel").GetString());
        Assert.Equal("공급사 잔액 부족: 공급사 확인 후 재개하세요.", running.GetProperty("reason").GetString());
        Assert.Equal(10, running.GetProperty("total").GetInt32());
        var stages = running.GetProperty("stages");
        Assert.Equal(8, stages.GetProperty("issued").GetInt32()); // ISSUED + RENDER_FAILED + queued/sent/send-failed
        Assert.Equal(6, stages.GetProperty("rendered").GetInt32());
        Assert.Equal(6, stages.GetProperty("queued").GetInt32());
        Assert.Equal(4, stages.GetProperty("results").GetInt32());
        Assert.Equal(3, running.GetProperty("succeeded").GetInt32());
        Assert.Equal(3, running.GetProperty("failed").GetInt32());
        Assert.Equal(JsonValueKind.Null, running.GetProperty("estimatedFinishAt").ValueKind); // stopped: no estimate

        var failures = json.GetProperty("failures");
        var send = Rows(failures, "send");
        Assert.Equal(("최종 실패", 1), send["31101"]);
        Assert.Equal(("재시도 가능", 1), send["29002"]);
        Assert.Equal(("최종 실패", 1), send["TIMEOUT"]);
        Assert.Equal(("재시도 가능", 1), Rows(failures, "issue")["TRANSIENT"]);
        Assert.Equal(("재시도 가능", 1), Rows(failures, "image")["RENDER"]);

        var soon = Assert.Single(json.GetProperty("upcomingCampaigns").EnumerateArray(), u => u.GetProperty("id").GetInt64() == upcoming);
        Assert.Equal(["상품 판매중지", "발신번호 미등록", "준비 시간 부족"], soon.GetProperty("warnings").EnumerateArray().Select(w => w.GetString()));
        Assert.DoesNotContain(json.GetProperty("upcomingCampaigns").EnumerateArray(), u => u.GetProperty("id").GetInt64() == later);

        Assert.True(json.GetProperty("inDoubtOrders").GetInt32() >= 1);
        var agent = json.GetProperty("system").GetProperty("agent");
        Assert.True(agent.GetProperty("delayed").GetBoolean());
        Assert.Equal("에이전트 지연", agent.GetProperty("label").GetString());
        Assert.True(agent.GetProperty("oldestDueSeconds").GetInt32() >= 540);
        Assert.Contains(json.GetProperty("system").GetProperty("workers").EnumerateArray(), w => w.GetProperty("alive").GetBoolean());

        // The 7-day view reads the same failures; the descriptions come from the code tables, not the stored free text.
        var week = await GetAsync(viewer, "/api/dashboard?period=7d");
        Assert.Equal("7d", week.GetProperty("period").GetString());
        Assert.DoesNotContain(week.GetProperty("failures").GetProperty("send").EnumerateArray(), r => r.GetProperty("description").GetString() == "사유");
    }

    [Theory]
    [InlineData("week")]
    [InlineData("TODAY")]
    [InlineData("7d;DROP TABLE messages")]
    [InlineData("%00")]
    public async Task An_unknown_period_is_refused_naming_the_field(string period)
    {
        using var client = await factory.CreateClientAsync(Roles.Operator);
        var response = await client.GetAsync("/api/dashboard?period=" + Uri.EscapeDataString(period));
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("기간은 today 또는 7d 중 하나입니다.", problem.GetProperty("errors").GetProperty("period")[0].GetString());
    }

    [Fact]
    public async Task Without_a_session_the_dashboard_is_refused()
    {
        using var anonymous = factory.CreateClient();
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.GetAsync("/api/dashboard")).StatusCode);
    }

    private static async Task<JsonElement> GetAsync(HttpClient client, string path)
    {
        var response = await client.GetAsync(path);
        Assert.True(response.StatusCode == HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
        return await response.Content.ReadFromJsonAsync<JsonElement>();
    }

    private static Dictionary<string, (string Class, int Count)> Rows(JsonElement failures, string tab) =>
        failures.GetProperty(tab).EnumerateArray().ToDictionary(
            r => r.GetProperty("code").GetString()!,
            r => (r.GetProperty("classLabel").GetString()!, r.GetProperty("count").GetInt32()));

    private static Task<long> InsertCampaignAsync(System.Data.Common.DbConnection c, string status, DateTime sendAt, string sender) =>
        c.ExecuteScalarAsync<long>(
            """
            INSERT INTO campaigns (status, client_name, event_name, send_mode, scheduled_at, start_at, goods_id, sender_number, recipient_count, created_at, updated_at)
            VALUES (@status, '대시보드상사', '대시보드 테스트', 'AT', @sendAt, @startAt, 'NOPE000001', @sender, 10, @now, @now);
            SELECT LAST_INSERT_ID();
            """, new { status, sendAt, startAt = sendAt.AddMinutes(-1), sender, now = DateTime.UtcNow });

    private async Task InsertMessageAsync(System.Data.Common.DbConnection c, long campaign, string status, string? code, DateTime now)
    {
        var id = Interlocked.Increment(ref messageId);
        var pii = factory.Services.GetRequiredService<PiiProtector>();
        await c.ExecuteAsync(
            """
            INSERT INTO messages (id, client_key, campaign_id, attempt_no, message_type, phone_enc, callback_number, req_at, reserved, status, outcome, done_code, done_code_desc, created_at, updated_at)
            VALUES (@id, @key, @campaign, 1, 'INITIAL', @phone, '16000000', @now, 0, @status, NULL, @code, '사유', @now, @now)
            """, new { id, key = "DASH" + id, campaign, phone = pii.Encrypt("01000009999"), status, code, now });
    }
}
