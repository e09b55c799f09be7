using System.Net;
using System.Net.Http.Json;
using CouponDesk.Features.CustomerService;
using CouponDesk.Tests.Alerts;
using CouponDesk.Tests.Pipeline.Resends;
using CouponDesk.TestSupport.Rendering;

namespace CouponDesk.Tests.CustomerService;

/// <summary>
/// 기타, 상태 새로고침, 원문 보기 and 이미지 보기 (spec §3.4.2–§3.4.3, §7.4), the hourly personal-data access alert, and the
/// Idempotency-Key the pages send with every state-changing request.
/// </summary>
public sealed class CsNotesAndReadsTests
{
    [Fact]
    public async Task Memo_refresh_reveal_and_image_are_recorded_and_audited()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        await using var h = await CsKit.StartAsync(new("Alerts:WebhookUrl", receiver.Url), new("CustomerService:AccessAlertThreshold", "10"));
        var campaign = await CsKit.DeliveredCampaignAsync(h, 2, 91);
        using var client = await AfterSendKit.OperatorAsync(h);
        using var admin = await AfterSendKit.SignedInAsync(h, "ADMIN");
        var item = await CsKit.ItemAsync(h, campaign, 1);
        var number = await CsKit.CouponNumberAsync(h, item);

        // 기타: stored encrypted, shown in CS 처리 이력 with who wrote it.
        var memo = await (await CsKit.ActAsync(client, item, "memo", new { memo = "고객이 문자 미수신 문의\n재확인 예정" })).JsonAsync(HttpStatusCode.OK);
        Assert.Equal("CS 내용이 저장되었습니다.", memo.GetProperty("message").GetString());
        Assert.True(memo.GetProperty("item").GetProperty("hasHistory").GetBoolean());
        Assert.Null(await AfterSendKit.ScalarAsync<string?>(h, "SELECT memo_enc FROM cs_actions WHERE action = 'MEMO' AND CAST(memo_enc AS CHAR) LIKE '%문의%'"));

        // 상태 새로고침 after a use at the store the back office has not heard of yet: COUFUN's word, source C/S.
        (await h.Coufun.CouponEventAsync("use", number)).EnsureSuccessStatusCode();
        await AfterSendKit.ScalarAsync<int>(h, "UPDATE coupons SET status = 'UNUSED', status_check_due_at = NULL WHERE id = (SELECT coupon_id FROM delivery_items WHERE id = @item)", new { item });
        var refreshed = await (await CsKit.ActAsync(client, item, "refresh", new { })).JsonAsync(HttpStatusCode.OK);
        Assert.Equal("교환", refreshed.GetProperty("item").GetProperty("couponLabel").GetString());
        var tooSoon = await (await CsKit.ActAsync(client, item, "refresh", new { })).JsonAsync(HttpStatusCode.TooManyRequests);
        Assert.Equal("refresh_too_soon", tooSoon.GetProperty("code").GetString());
        var detail = await (await client.GetAsync($"/api/cs/items/{item}")).JsonAsync(HttpStatusCode.OK);
        Assert.Equal("CS", detail.GetProperty("coupon").GetProperty("statusSource").GetString());
        Assert.Equal("수동 조회(C/S)", detail.GetProperty("coupon").GetProperty("statusSourceLabel").GetString());
        var lines = detail.GetProperty("history").EnumerateArray().Select(l => (l.GetProperty("actionLabel").GetString(), l.GetProperty("memo").GetString())).ToList();
        Assert.Contains(("기타", "고객이 문자 미수신 문의\n재확인 예정"), lines);
        Assert.Contains(lines, l => l.Item1 == "상태 새로고침");
        Assert.False(detail.GetProperty("canRevealCouponNumber").GetBoolean());
        Assert.Equal("UNUSED USED 001", await AfterSendKit.ScalarAsync<string>(h,
            "SELECT CONCAT_WS(' ', old_status, new_status, supplier_status) FROM coupon_status_history WHERE source = 'CS' ORDER BY id DESC LIMIT 1"));

        // 원문 보기: the phone for an OPERATOR with a reason, the coupon number for an ADMIN; both audited with whose data and why.
        var phone = await (await CsKit.ActAsync(client, item, "reveal-phone", new { reason = "CUSTOMER_CHECK" })).JsonAsync(HttpStatusCode.OK);
        Assert.Equal(CsKit.Phone(91), phone.GetProperty("value").GetString());
        var coupon = await (await CsKit.ActAsync(admin, item, "reveal-coupon-number", new { reason = "OTHER", reasonText = "공급사 사용처 확인" })).JsonAsync(HttpStatusCode.OK);
        Assert.Equal(number, coupon.GetProperty("value").GetString());
        var reveals = (await AfterSendKit.ScalarAsync<string>(h,
            "SELECT GROUP_CONCAT(CONCAT(subject, '|', reason, '|', details) ORDER BY id SEPARATOR '\n') FROM audit_log WHERE action = 'cs.revealed'")).Split('\n');
        Assert.Equal(2, reveals.Length);
        Assert.StartsWith("010-****-0091|고객 본인 확인|", reveals[0], StringComparison.Ordinal);
        Assert.StartsWith($"**** **** {number[^4..]}|기타: 공급사 사용처 확인|", reveals[1], StringComparison.Ordinal);
        Assert.DoesNotContain(number, string.Join("", reveals), StringComparison.Ordinal);

        // 이미지 보기: the picture the recipient got, and once its file is purged, the same coupon drawn again.
        var image = await client.GetAsync($"/api/cs/items/{item}/image");
        Assert.Equal("image/jpeg", image.Content.Headers.ContentType?.MediaType);
        Assert.Equal(number, JpegReader.ReadBarcode(await image.Content.ReadAsByteArrayAsync()));
        await AfterSendKit.ScalarAsync<int>(h, "UPDATE messages SET images_purged_at = UTC_TIMESTAMP(6) WHERE recipient_id = @item", new { item });
        Assert.Equal(number, JpegReader.ReadBarcode(await (await client.GetAsync($"/api/cs/items/{item}/image")).Content.ReadAsByteArrayAsync()));

        // More than the threshold of personal-data accesses in an hour: one security alert, without personal data.
        for (var i = 0; i < 8; i++)
        {
            await CsKit.SearchAsync(client, phone: CsKit.Phone(92));
        }

        await AfterSendKit.WaitAsync(() => Task.FromResult(receiver.Bodies.Any(b => b.Contains(PersonalDataAccess.AlertKind, StringComparison.Ordinal))), 20);
        var alert = receiver.Bodies.First(b => b.Contains(PersonalDataAccess.AlertKind, StringComparison.Ordinal));
        Assert.DoesNotContain("0092", alert, StringComparison.Ordinal);
        Assert.DoesNotContain(number, alert, StringComparison.Ordinal);
        Assert.Contains("개인정보", System.Text.Json.JsonDocument.Parse(alert).RootElement.GetProperty("text").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_retried_request_with_its_idempotency_key_acts_once_and_gets_the_same_answer()
    {
        await using var h = await CsKit.StartAsync();
        var campaign = await CsKit.DeliveredCampaignAsync(h, 1, 95);
        using var client = await AfterSendKit.OperatorAsync(h);
        var item = await CsKit.ItemAsync(h, campaign, 1);
        var version = await CsKit.VersionAsync(client, item);

        HttpRequestMessage Resend(string key, object body) => new(HttpMethod.Post, $"/api/cs/items/{item}/resend")
        {
            Content = JsonContent.Create(body),
            Headers = { { "Idempotency-Key", key } },
        };

        var key = Guid.NewGuid().ToString("N");
        var first = await client.SendAsync(Resend(key, new { version }));
        var firstBody = await first.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        var again = await client.SendAsync(Resend(key, new { version }));
        Assert.Equal(HttpStatusCode.OK, again.StatusCode);
        Assert.Equal(firstBody, await again.Content.ReadAsStringAsync());
        Assert.Equal("true", again.Headers.GetValues("Idempotent-Replayed").Single());
        Assert.Equal(1, await AfterSendKit.ScalarAsync<int>(h, "SELECT COUNT(*) FROM messages WHERE recipient_id = @item AND message_type = 'CS_RESEND'", new { item }));

        // The same key on another request, and a key that is not one.
        var reused = await client.SendAsync(Resend(key, new { version, memo = "다른 요청" }));
        Assert.Equal("idempotency_key_reused", (await reused.JsonAsync(HttpStatusCode.UnprocessableEntity)).GetProperty("code").GetString());
        var bad = await client.SendAsync(Resend("x y", new { version }));
        Assert.Equal("invalid_idempotency_key", (await bad.JsonAsync(HttpStatusCode.BadRequest)).GetProperty("code").GetString());

        // A refusal is stored too: its retry gets the same refusal, nothing runs twice.
        var staleKey = Guid.NewGuid().ToString("N");
        var stale = await client.SendAsync(Resend(staleKey, new { version }));
        var staleAgain = await client.SendAsync(Resend(staleKey, new { version }));
        Assert.Equal((HttpStatusCode.Conflict, HttpStatusCode.Conflict), (stale.StatusCode, staleAgain.StatusCode));
        Assert.Equal(1, await AfterSendKit.ScalarAsync<int>(h, "SELECT COUNT(*) FROM messages WHERE recipient_id = @item AND message_type = 'CS_RESEND'", new { item }));

        // Campaign requests honour it too: a repeated pause answers the stored answer instead of a second state change.
        var other = await h.ScheduleCampaignAsync(1, 96, sendAtUtc: DateTime.UtcNow.AddHours(3));
        await AfterSendKit.WaitAsync(async () => await h.StatusAsync(other) == "ISSUING");
        var pauseKey = Guid.NewGuid().ToString("N");
        HttpRequestMessage Pause() => new(HttpMethod.Post, $"/api/campaigns/{other}/pipeline/pause") { Headers = { { "Idempotency-Key", pauseKey } } };
        var paused = await client.SendAsync(Pause());
        var pausedAgain = await client.SendAsync(Pause());
        Assert.Equal(paused.StatusCode, pausedAgain.StatusCode);
        Assert.Equal(await paused.Content.ReadAsStringAsync(), await pausedAgain.Content.ReadAsStringAsync());
        Assert.Equal("true", pausedAgain.Headers.GetValues("Idempotent-Replayed").Single());
    }
}
