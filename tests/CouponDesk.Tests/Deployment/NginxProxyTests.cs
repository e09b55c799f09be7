using System.Net;
using System.Net.Http.Headers;
using System.Text;
using CouponDesk.Security.Pii;
using CouponDesk.TestSupport;
using Dapper;
using Microsoft.Extensions.DependencyInjection;

namespace CouponDesk.Tests.Deployment;

/// <summary>
/// deploy/nginx/coupondesk.conf in front of the back office (issue 19): TLS and HSTS, login and upload through it, the
/// progress stream unbuffered, the client's address in the audit trail and the push allowlist, forged
/// X-Forwarded-For ignored, static files cached, /metrics and /docs not exposed.
/// </summary>
public sealed class NginxProxyTests(NginxFront front) : IClassFixture<NginxFront>
{
    [Fact]
    public async Task Plain_http_is_redirected_to_https_and_https_answers_carry_hsts()
    {
        using var client = front.ClientFrom(NginxFront.ClientAddress, front.HttpBase);
        var redirect = await client.GetAsync("/login.html");
        Assert.Equal(HttpStatusCode.MovedPermanently, redirect.StatusCode);
        Assert.StartsWith("https://", redirect.Headers.Location!.ToString());

        using var tls = front.ClientFrom(NginxFront.ClientAddress);
        var ready = await tls.GetAsync("/health/ready");
        Assert.Equal(HttpStatusCode.OK, ready.StatusCode);
        Assert.Contains("max-age=", ready.Headers.GetValues("Strict-Transport-Security").Single());
    }

    [Fact]
    public async Task A_login_through_nginx_is_audited_with_the_clients_address_even_with_a_forged_header()
    {
        var account = await TestAccounts.InsertAsync(front.Database.Connections, "ADMIN");
        using var client = front.ClientFrom(NginxFront.ClientAddress);
        client.DefaultRequestHeaders.Add("X-Forwarded-For", "198.51.100.7");
        client.DefaultRequestHeaders.Authorization = new("Bearer", await CouponDeskFactory.LoginAsync(client, account.LoginId, account.Password));
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/api/auth/me")).StatusCode);

        Assert.Equal([NginxFront.ClientAddress.ToString()], await LoginAddressesAsync(account.LoginId));
    }

    [Fact]
    public async Task A_forged_forwarded_header_sent_straight_to_kestrel_is_not_trusted()
    {
        var account = await TestAccounts.InsertAsync(front.Database.Connections, "VIEWER");
        using var direct = front.ClientFrom(NginxFront.ClientAddress, front.BackOffice.BaseAddress);
        direct.DefaultRequestHeaders.Add("X-Forwarded-For", "198.51.100.7");
        await CouponDeskFactory.LoginAsync(direct, account.LoginId, account.Password);

        Assert.Equal([NginxFront.ClientAddress.ToString()], await LoginAddressesAsync(account.LoginId));
    }

    [Fact]
    public async Task A_recipient_file_uploads_through_nginx_and_a_body_over_the_limit_is_refused_there()
    {
        var campaignId = await NewDraftAsync();
        using var client = await SignedInAsync("OPERATOR");
        var csv = Encoding.UTF8.GetBytes("휴대폰번호,이름\n010-0000-0101,김하나\n010-0000-0102,김둘\n010-0000-0103,김셋\n");
        using (var content = new ByteArrayContent(csv))
        {
            content.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
            var upload = await client.PostAsync($"/api/campaigns/{campaignId}/recipient-lists?fileName=list.csv", content);
            Assert.True(upload.StatusCode == HttpStatusCode.Created, await upload.Content.ReadAsStringAsync());
            Assert.Contains("\"validCount\":3", await upload.Content.ReadAsStringAsync());
        }

        using var tooLarge = new ByteArrayContent(new byte[12 * 1024 * 1024]);
        tooLarge.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
        var refused = await client.PostAsync($"/api/campaigns/{campaignId}/recipient-lists?fileName=big.csv", tooLarge);
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, refused.StatusCode);
    }

    [Fact]
    public async Task Progress_events_arrive_one_at_a_time_as_they_are_written()
    {
        // Sends in a week: the stream goes on (one event a second) until the client leaves. Buffered by Nginx, the
        // first read would only return once several events filled a proxy buffer.
        var campaignId = await PipelineCampaigns.ScheduleAsync(front.Database.Connections, front.BackOffice.Services.GetRequiredService<PiiProtector>(),
            3, sendAtUtc: DateTime.UtcNow.AddDays(7), startAtUtc: DateTime.UtcNow.AddDays(7));
        using var client = await SignedInAsync("VIEWER");
        using var request = new HttpRequestMessage(HttpMethod.Get, $"/api/campaigns/{campaignId}/pipeline/progress/stream");
        request.Headers.Accept.ParseAdd("text/event-stream");
        using var response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        await using var stream = await response.Content.ReadAsStreamAsync();

        var buffer = new byte[256 * 1024];
        // A safety net only: behind a buffering proxy the first read does not return at all (verified with proxy_buffering on).
        using var giveUp = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        for (var read = 0; read < 3; read++)
        {
            var text = "";
            while (!text.EndsWith("\n\n", StringComparison.Ordinal))
            {
                var n = await stream.ReadAsync(buffer, giveUp.Token);
                Assert.True(n > 0, "the stream ended");
                text += Encoding.UTF8.GetString(buffer, 0, n);
            }

            Assert.Equal(1, text.Split("event: progress").Length - 1);
        }
    }

    [Fact]
    public async Task The_push_allowlist_sees_coufuns_address_behind_nginx()
    {
        async Task<(HttpStatusCode Status, string Body)> PushFrom(IPAddress from)
        {
            using var client = front.ClientFrom(from);
            client.DefaultRequestHeaders.Add("X-Forwarded-For", NginxFront.CoufunAddress.ToString()); // forged by the non-COUFUN senders
            var response = await client.PostAsync("/api/coufun/exchange", new FormUrlEncodedContent([new("BARCODE_NUM", "")]));
            return (response.StatusCode, await response.Content.ReadAsStringAsync());
        }

        var coufun = await PushFrom(NginxFront.CoufunAddress);
        Assert.Equal(HttpStatusCode.OK, coufun.Status);
        Assert.Contains("<RESULTCODE>99</RESULTCODE>", coufun.Body); // admitted, then refused as malformed (no coupon number)

        var nginxOnly = await PushFrom(NginxFront.NginxOnlyAddress);
        Assert.Contains("<RESULTCODE>01</RESULTCODE>", nginxOnly.Body);

        var stranger = await PushFrom(NginxFront.ClientAddress);
        Assert.Equal(HttpStatusCode.Forbidden, stranger.Status); // Nginx's own allowlist

        await using var c = await front.Database.OpenAsync();
        var recorded = (await c.QueryAsync<(string, string)>("SELECT remote_address, reply_code FROM coupon_exchange_pushes ORDER BY id")).ToList();
        Assert.Equal([(NginxFront.CoufunAddress.ToString(), "99"), (NginxFront.NginxOnlyAddress.ToString(), "01")], recorded);
    }

    [Fact]
    public async Task Static_files_are_cached_and_metrics_and_the_api_reference_are_not_exposed()
    {
        using var client = front.ClientFrom(NginxFront.ClientAddress);
        var first = await client.GetAsync("/css/app.css");
        var second = await client.GetAsync("/css/app.css");
        Assert.Equal(HttpStatusCode.OK, second.StatusCode);
        Assert.Equal("HIT", second.Headers.GetValues("X-Cache-Status").Single());
        Assert.Equal(await first.Content.ReadAsStringAsync(), await second.Content.ReadAsStringAsync());

        foreach (var path in new[] { "/metrics", "/docs", "/docs/", "/openapi/v1.json" })
        {
            Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync(path)).StatusCode);
        }
    }

    private async Task<HttpClient> SignedInAsync(string role)
    {
        var account = await TestAccounts.InsertAsync(front.Database.Connections, role);
        var client = front.ClientFrom(NginxFront.ClientAddress);
        client.DefaultRequestHeaders.Authorization = new("Bearer", await CouponDeskFactory.LoginAsync(client, account.LoginId, account.Password));
        return client;
    }

    private async Task<string[]> LoginAddressesAsync(string loginId)
    {
        await using var c = await front.Database.OpenAsync();
        return [.. await c.QueryAsync<string>("SELECT source_ip FROM audit_log WHERE action = 'auth.login' AND actor_login = @loginId", new { loginId })];
    }

    /// <summary>A DRAFT campaign (the upload's precondition), inserted as registration leaves it.</summary>
    private async Task<long> NewDraftAsync()
    {
        await using var c = await front.Database.OpenAsync();
        var now = DateTime.UtcNow;
        return await c.ExecuteScalarAsync<long>(
            """
            INSERT INTO campaigns (status, client_name, event_name, send_mode, scheduled_at, goods_id, product_name, exchange_place, supply_price, list_price,
              coupon_type, sender_number, mms_title, mms_body, recipient_count, cost_estimate, created_at, updated_at)
            VALUES ('DRAFT', '테스트상사', '프록시 테스트', 'AT', @sendAt, '0000000101', '아메리카노 T', '커피전문점', 4230, 4500,
              'BARCODE', '16000000', '[테스트] 쿠폰 도착', '테스트 쿠폰입니다.', 0, 0, @now, @now);
            SELECT LAST_INSERT_ID();
            """, new { sendAt = now.AddDays(3), now });
    }
}
