using System.Globalization;
using System.Net;
using CouponDesk.Tests.Pipeline.Resends;
using CouponDesk.TestSupport.Rendering;
using Dapper;

namespace CouponDesk.Tests.CustomerService;

/// <summary>
/// C/S against both stand-ins (issue 16 "Done when"): the back office with its pipeline, the COUFUN stand-in whose
/// ledger says what was bought and cancelled, and the SNAP stand-in whose delivery ledger says what reached a handset.
/// </summary>
public sealed class CsEndToEndTests
{
    [Fact]
    public async Task A_delivered_recipient_is_found_every_way_and_a_resend_sends_the_same_barcode_again()
    {
        await using var h = await CsKit.StartAsync();
        var campaign = await CsKit.DeliveredCampaignAsync(h, 3);
        using var client = await AfterSendKit.OperatorAsync(h);
        var item = await CsKit.ItemAsync(h, campaign, 2);
        var number = await CsKit.CouponNumberAsync(h, item);

        Assert.Equal([item], CsKit.ItemIds(await CsKit.SearchAsync(client, phone: "010-0000-0002")));
        Assert.Equal([item], CsKit.ItemIds(await CsKit.SearchAsync(client, coupon: number)));
        var byLast4 = await CsKit.SearchAsync(client, phone: CsKit.Phone(2), coupon: number[^4..]);
        Assert.Equal([item], CsKit.ItemIds(byLast4));
        var row = byLast4.GetProperty("items")[0];
        Assert.Equal("010-****-0002", row.GetProperty("phone").GetString());
        Assert.EndsWith(number[^4..], row.GetProperty("couponNumber").GetString(), StringComparison.Ordinal);
        Assert.DoesNotContain(number, byLast4.GetRawText(), StringComparison.Ordinal);
        Assert.Equal("미교환", row.GetProperty("couponLabel").GetString());
        Assert.Equal("발송성공", row.GetProperty("deliveryLabel").GetString());
        Assert.True(row.GetProperty("actions").GetProperty("resend").GetProperty("enabled").GetBoolean());

        // Exact matches only: a wrong last 4 finds nothing; the same last 4 of another recipient's phone neither.
        var none = await CsKit.SearchAsync(client, phone: CsKit.Phone(2), coupon: number[^4..] == "0000" ? "1111" : "0000");
        Assert.Empty(CsKit.ItemIds(none));
        Assert.Equal("조건에 해당하는 쿠폰을 찾을 수 없습니다.", none.GetProperty("message").GetString());
        Assert.Empty(CsKit.ItemIds(await CsKit.SearchAsync(client, phone: CsKit.Phone(1), coupon: number)));

        // 재발송: a second message with a new CLIENT_KEY, the same barcode in its picture, delivered.
        var version = row.GetProperty("version").GetInt32();
        var answer = await (await CsKit.ActAsync(client, item, "resend", new { version, memo = "고객 요청으로 재발송" })).JsonAsync(HttpStatusCode.OK);
        Assert.Equal("재발송 처리되었습니다.", answer.GetProperty("message").GetString());
        Assert.Equal(1, answer.GetProperty("item").GetProperty("resendCount").GetInt32());
        await CsKit.WaitForItemAsync(h, item, "SENT");
        var deliveries = await CsKit.DeliveriesAsync(h, item);
        Assert.Equal(2, deliveries.Count);
        Assert.Equal(["INITIAL", "CS_RESEND"], deliveries.Select(d => d.Type));
        Assert.NotEqual(deliveries[0].Key, deliveries[1].Key);
        Assert.All(deliveries, d => Assert.Equal((CsKit.Phone(2), 1), (d.Phone, d.Delivered)));
        await using (var c = await h.Database.OpenAsync())
        {
            var files = (await c.QueryAsync<string>("SELECT image_files FROM messages WHERE recipient_id = @item ORDER BY id", new { item })).ToList();
            Assert.NotEqual(files[0], files[1]); // each message owns its file
            Assert.Equal(number, JpegReader.ReadBarcode(await File.ReadAllBytesAsync(files[1])));
            Assert.Equal(2, await c.ExecuteScalarAsync<int>("SELECT COUNT(DISTINCT client_key) FROM messages WHERE recipient_id = @item", new { item }));
            Assert.Equal("COMPLETED", await c.ExecuteScalarAsync<string>("SELECT status FROM campaigns WHERE id = @campaign", new { campaign }));

            // Audited: the searches with masked keys and counts, the resend with its states before and after.
            var searches = (await c.QueryAsync<(string Subject, string Details)>("SELECT subject, details FROM audit_log WHERE action = 'cs.searched' ORDER BY id")).ToList();
            Assert.Contains(searches, s => s.Subject == "010-****-0002" && s.Details.Contains("\"results\":\"1\"", StringComparison.Ordinal));
            Assert.DoesNotContain(searches, s => s.Subject.Contains(number, StringComparison.Ordinal) || s.Details.Contains(number, StringComparison.Ordinal));
            var resend = await c.QuerySingleAsync<(string Subject, string Details)>("SELECT subject, details FROM audit_log WHERE action = 'cs.resend'");
            Assert.Equal("010-****-0002", resend.Subject);
            Assert.Contains("\"before\":\"SENT/UNUSED\"", resend.Details, StringComparison.Ordinal);
            Assert.Contains("\"after\":\"QUEUED/UNUSED\"", resend.Details, StringComparison.Ordinal);
            Assert.DoesNotContain("고객 요청으로", resend.Details, StringComparison.Ordinal); // the memo is encrypted in CS 처리 이력 only
        }

        var detail = await (await client.GetAsync($"/api/cs/items/{item}")).JsonAsync(HttpStatusCode.OK);
        Assert.Equal(2, detail.GetProperty("messages").GetArrayLength());
        Assert.Equal("C/S 재발송", detail.GetProperty("messages")[1].GetProperty("typeLabel").GetString());
        Assert.Equal("10000", detail.GetProperty("messages")[1].GetProperty("doneCode").GetString());
        var history = detail.GetProperty("history")[0];
        Assert.Equal(("재발송", "성공", "고객 요청으로 재발송"), (history.GetProperty("actionLabel").GetString(), history.GetProperty("resultLabel").GetString(), history.GetProperty("memo").GetString()));
        Assert.Equal("교환권", detail.GetProperty("coupon").GetProperty("couponTypeLabel").GetString());
    }

    [Fact]
    public async Task A_number_change_before_sending_moves_the_reservation_and_buys_nothing()
    {
        await using var h = await CsKit.StartAsync();
        var sendAt = DateTime.UtcNow.AddHours(2);
        var campaign = await h.ScheduleCampaignAsync(2, 11, sendAtUtc: sendAt);
        await AfterSendKit.WaitAsync(async () => await AfterSendKit.CountAsync(h, campaign, "QUEUED") == 2);
        using var client = await AfterSendKit.OperatorAsync(h);
        var item = await CsKit.ItemAsync(h, campaign, 1);
        var coupons = await CsKit.StandInCouponCountAsync(h);
        var number = await CsKit.CouponNumberAsync(h, item);
        var row = await CsKit.RowAsync(client, item);
        Assert.Equal("발송예약", row.GetProperty("deliveryLabel").GetString());
        Assert.Equal("BeforeSend", row.GetProperty("actions").GetProperty("changeMode").GetString());

        var answer = await (await CsKit.ActAsync(client, item, "change-number", new { version = row.GetProperty("version").GetInt32(), newPhone = "010-0000-0099" })).JsonAsync(HttpStatusCode.OK);
        Assert.Equal("휴대폰 번호가 변경되었습니다.", answer.GetProperty("message").GetString());
        Assert.Equal("010-****-0099", answer.GetProperty("item").GetProperty("phone").GetString());
        Assert.Equal(1, answer.GetProperty("item").GetProperty("phoneChangeCount").GetInt32());

        // Nothing bought or cancelled; the withdrawn reservation is replaced by one to the new number, same time, same coupon.
        Assert.Equal(coupons, await CsKit.StandInCouponCountAsync(h));
        Assert.Equal("000", (await CsKit.StandInCouponAsync(h, number)).GetProperty("status").GetString());
        await using (var c = await h.Database.OpenAsync())
        {
            var messages = (await c.QueryAsync<(string Status, string Type, string Key, DateTime ReqAt, string? Files)>(
                "SELECT status, message_type, client_key, req_at, image_files FROM messages WHERE recipient_id = @item ORDER BY id", new { item })).ToList();
            Assert.Equal([("WITHDRAWN", "INITIAL"), ("READY", "AFTER_PHONE_CHANGE")], messages.Select(m => (m.Status, m.Type)));
            Assert.Equal(messages[0].ReqAt, messages[1].ReqAt);
            Assert.Equal(0, await c.ExecuteScalarAsync<int>("SELECT COUNT(*) FROM UMS_MSG WHERE CLIENT_KEY = @key", new { key = messages[0].Key }));
            Assert.Equal(CsKit.Phone(99), await c.ExecuteScalarAsync<string>("SELECT PHONE FROM UMS_MSG WHERE CLIENT_KEY = @key", new { key = messages[1].Key }));
            Assert.Equal(number, JpegReader.ReadBarcode(await File.ReadAllBytesAsync(messages[1].Files!)));
            Assert.Equal(0, await c.ExecuteScalarAsync<int>("SELECT COUNT(*) FROM coupon_cancels"));
            Assert.Equal("QUEUED", await c.ExecuteScalarAsync<string>("SELECT status FROM delivery_items WHERE id = @item", new { item }));
        }

        // Found by the old number (through the change history) and by the new one; the other recipient keeps theirs.
        Assert.Equal([item], CsKit.ItemIds(await CsKit.SearchAsync(client, phone: CsKit.Phone(11))));
        Assert.Equal([item], CsKit.ItemIds(await CsKit.SearchAsync(client, phone: CsKit.Phone(99))));
        Assert.Single(CsKit.ItemIds(await CsKit.SearchAsync(client, phone: CsKit.Phone(12))));
    }

    [Fact]
    public async Task A_number_change_after_delivery_cancels_at_coufun_and_delivers_a_new_coupon()
    {
        await using var h = await CsKit.StartAsync();
        var campaign = await CsKit.DeliveredCampaignAsync(h, 2, 21);
        using var client = await AfterSendKit.OperatorAsync(h);
        var item = await CsKit.ItemAsync(h, campaign, 1);
        var oldNumber = await CsKit.CouponNumberAsync(h, item);
        var bought = await CsKit.StandInCouponCountAsync(h);
        var version = await CsKit.VersionAsync(client, item);

        var answer = await (await CsKit.ActAsync(client, item, "change-number", new { version, newPhone = "01000000098", memo = "고객 번호 변경" })).JsonAsync(HttpStatusCode.OK);
        Assert.Equal("휴대폰 번호가 변경되었습니다.", answer.GetProperty("message").GetString());
        Assert.Equal("번호변경", answer.GetProperty("item").GetProperty("deliveryLabel").GetString());
        Assert.Equal("폐기 (번호변경)", answer.GetProperty("item").GetProperty("couponLabel").GetString());

        // COUFUN's ledger: the old coupon cancelled, exactly one more bought.
        Assert.Equal("100", (await CsKit.StandInCouponAsync(h, oldNumber)).GetProperty("status").GetString());
        Assert.Equal(bought + 1, await CsKit.StandInCouponCountAsync(h));
        var replacement = await AfterSendKit.ScalarAsync<long>(h, "SELECT id FROM delivery_items WHERE parent_item_id = @item", new { item });
        await CsKit.WaitForItemAsync(h, replacement, "SENT");
        var newNumber = await CsKit.CouponNumberAsync(h, replacement);
        Assert.NotEqual(oldNumber, newNumber);
        Assert.Equal("000", (await CsKit.StandInCouponAsync(h, newNumber)).GetProperty("status").GetString());
        var delivered = Assert.Single(await CsKit.DeliveriesAsync(h, replacement));
        Assert.Equal(("AFTER_PHONE_CHANGE", CsKit.Phone(98), 1), (delivered.Type, delivered.Phone, delivered.Delivered));

        await using (var c = await h.Database.OpenAsync())
        {
            Assert.Equal("REPLACED", await c.ExecuteScalarAsync<string>("SELECT status FROM delivery_items WHERE id = @item", new { item }));
            Assert.Equal("CANCELLED", await c.ExecuteScalarAsync<string>("SELECT k.status FROM coupons k JOIN delivery_items d ON d.coupon_id = k.id WHERE d.id = @item", new { item }));
            var order = await c.QuerySingleAsync<(string Origin, string Status, string TrId)>(
                "SELECT o.origin, o.status, o.tr_id FROM issuance_orders o JOIN delivery_items d ON d.order_id = o.id WHERE d.id = @replacement", new { replacement });
            Assert.Equal(("CS", "SUCCEEDED"), (order.Origin, order.Status));
            Assert.Equal(1, (await h.Coufun.CountersAsync(order.TrId)).Calls);
            Assert.Equal("COMPLETED", await c.ExecuteScalarAsync<string>("SELECT status FROM campaigns WHERE id = @campaign", new { campaign }));
            Assert.Equal(("CS", "CANCELLED"), await c.QuerySingleAsync<(string, string)>(
                "SELECT h.source, h.new_status FROM coupon_status_history h JOIN delivery_items d ON d.coupon_id = h.coupon_id WHERE d.id = @item", new { item }));
            Assert.Equal(1, await c.ExecuteScalarAsync<int>("SELECT COUNT(*) FROM audit_log WHERE action = 'cs.phone_changed' AND target_id = @target",
                new { target = item.ToString(CultureInfo.InvariantCulture) }));
        }

        // The old number finds both coupons; the new one only the new; the lineage links them.
        Assert.Equal([replacement, item], CsKit.ItemIds(await CsKit.SearchAsync(client, phone: CsKit.Phone(21))));
        Assert.Equal([replacement], CsKit.ItemIds(await CsKit.SearchAsync(client, phone: CsKit.Phone(98))));
        var detail = await (await client.GetAsync($"/api/cs/items/{replacement}")).JsonAsync(HttpStatusCode.OK);
        Assert.Equal([item, replacement], detail.GetProperty("lineage").EnumerateArray().Select(l => l.GetProperty("itemId").GetInt64()));
        Assert.Equal(1, detail.GetProperty("row").GetProperty("phoneChangeCount").GetInt32());
    }

    [Fact]
    public async Task A_discard_cancels_at_coufun_and_withdraws_an_unsent_message_and_a_used_coupon_is_refused()
    {
        await using var h = await CsKit.StartAsync();
        var delivered = await CsKit.DeliveredCampaignAsync(h, 2, 31);
        using var client = await AfterSendKit.OperatorAsync(h);

        // Delivered: cancelled at COUFUN; the item keeps 발송성공, the coupon shows 폐기.
        var item = await CsKit.ItemAsync(h, delivered, 1);
        var number = await CsKit.CouponNumberAsync(h, item);
        var answer = await (await CsKit.ActAsync(client, item, "discard", new { version = await CsKit.VersionAsync(client, item), reason = "CUSTOMER_REQUEST" })).JsonAsync(HttpStatusCode.OK);
        Assert.Equal("쿠폰이 폐기되었습니다.", answer.GetProperty("message").GetString());
        Assert.Equal(("폐기", "발송성공"), (answer.GetProperty("item").GetProperty("couponLabel").GetString(), answer.GetProperty("item").GetProperty("deliveryLabel").GetString()));
        Assert.Equal("100", (await CsKit.StandInCouponAsync(h, number)).GetProperty("status").GetString());
        Assert.False(answer.GetProperty("item").GetProperty("actions").GetProperty("discard").GetProperty("enabled").GetBoolean());

        // Used at a store: COUFUN refuses (17); nothing of ours changes but the coupon's state it reports.
        var used = await CsKit.ItemAsync(h, delivered, 2);
        var usedNumber = await CsKit.CouponNumberAsync(h, used);
        (await h.Coufun.CouponEventAsync("use", usedNumber)).EnsureSuccessStatusCode();
        var version = await CsKit.VersionAsync(client, used);
        var before = await CsKit.SnapshotAsync(h);
        var refused = await CsKit.ActAsync(client, used, "discard", new { version, reason = "WRONG_SEND" });
        var problem = await refused.JsonAsync(HttpStatusCode.Conflict);
        Assert.Equal(("coupon_used", "이미 사용된 쿠폰입니다."), (problem.GetProperty("code").GetString(), problem.GetProperty("detail").GetString()));
        Assert.Equal("교환", problem.GetProperty("item").GetProperty("couponLabel").GetString());
        await using (var c = await h.Database.OpenAsync())
        {
            Assert.Equal("SENT", await c.ExecuteScalarAsync<string>("SELECT status FROM delivery_items WHERE id = @used", new { used }));
            Assert.Equal(0, await c.ExecuteScalarAsync<int>("SELECT COUNT(*) FROM coupon_cancels WHERE item_id = @used", new { used }));
            Assert.Equal("FAILED", await c.ExecuteScalarAsync<string>("SELECT result FROM cs_actions WHERE item_id = @used", new { used }));
        }

        Assert.NotEqual(before, await CsKit.SnapshotAsync(h)); // only the coupon's state, its history and the failed action

        // Not sent yet (a reservation two hours ahead): the ready message is withdrawn and the coupon cancelled.
        var reserved = await h.ScheduleCampaignAsync(1, 41, sendAtUtc: DateTime.UtcNow.AddHours(2));
        await AfterSendKit.WaitAsync(async () => await AfterSendKit.CountAsync(h, reserved, "QUEUED") == 1);
        var unsent = await CsKit.ItemAsync(h, reserved, 1);
        var unsentNumber = await CsKit.CouponNumberAsync(h, unsent);
        var key = await AfterSendKit.ScalarAsync<string>(h, "SELECT m.client_key FROM messages m JOIN delivery_items d ON d.message_id = m.id WHERE d.id = @unsent", new { unsent });
        var withdrawn = await (await CsKit.ActAsync(client, unsent, "discard", new { version = await CsKit.VersionAsync(client, unsent), reason = "OTHER", memo = "행사 취소" })).JsonAsync(HttpStatusCode.OK);
        Assert.Equal(("폐기", "취소"), (withdrawn.GetProperty("item").GetProperty("couponLabel").GetString(), withdrawn.GetProperty("item").GetProperty("deliveryLabel").GetString()));
        Assert.Equal("100", (await CsKit.StandInCouponAsync(h, unsentNumber)).GetProperty("status").GetString());
        Assert.Equal(0, await AfterSendKit.ScalarAsync<int>(h, "SELECT COUNT(*) FROM UMS_MSG WHERE CLIENT_KEY = @key", new { key }));
        Assert.Equal("WITHDRAWN", await AfterSendKit.ScalarAsync<string>(h, "SELECT status FROM messages WHERE client_key = @key", new { key }));
        Assert.Equal("CANCELLED", await AfterSendKit.ScalarAsync<string>(h, "SELECT status FROM delivery_items WHERE id = @unsent", new { unsent }));
        Assert.Equal(2, await AfterSendKit.ScalarAsync<int>(h, "SELECT COUNT(*) FROM audit_log WHERE action = 'cs.coupon_discarded' AND outcome = 'SUCCESS'"));
    }

    [Fact]
    public async Task The_limits_of_3_resends_and_2_number_changes_hold_under_concurrent_clicks()
    {
        await using var h = await CsKit.StartAsync();
        var campaign = await CsKit.DeliveredCampaignAsync(h, 1, 51);
        using var first = await AfterSendKit.OperatorAsync(h);
        using var second = await AfterSendKit.OperatorAsync(h);
        var item = await CsKit.ItemAsync(h, campaign, 1);

        // Two operators click 재발송 on the same row at the same moment, four times over: one wins each round, and
        // after three the limit refuses both.
        var accepted = 0;
        for (var round = 0; round < 4; round++)
        {
            await CsKit.WaitForItemAsync(h, item, "SENT");
            var version = await CsKit.VersionAsync(first, item);
            var answers = await Task.WhenAll(
                CsKit.ActAsync(first, item, "resend", new { version }),
                CsKit.ActAsync(second, item, "resend", new { version }));
            accepted += answers.Count(a => a.StatusCode == HttpStatusCode.OK);
            Assert.All(answers.Where(a => a.StatusCode != HttpStatusCode.OK), a => Assert.Equal(HttpStatusCode.Conflict, a.StatusCode));
            if (round == 3)
            {
                var refused = await answers[0].JsonAsync(HttpStatusCode.Conflict);
                Assert.Equal("재발송 가능 횟수(3회)를 모두 사용했습니다.", refused.GetProperty("detail").GetString());
            }
        }

        Assert.Equal(3, accepted);
        Assert.Equal(3, await AfterSendKit.ScalarAsync<int>(h, "SELECT COUNT(*) FROM messages WHERE recipient_id = @item AND message_type = 'CS_RESEND'", new { item }));

        // Number changes: two concurrent rounds on the newest item of the lineage; the third is refused by the limit.
        var current = item;
        for (var round = 0; round < 3; round++)
        {
            await CsKit.WaitForItemAsync(h, current, "SENT");
            var version = await CsKit.VersionAsync(first, current);
            var answers = await Task.WhenAll(
                CsKit.ActAsync(first, current, "change-number", new { version, newPhone = CsKit.Phone(60 + (round * 2)) }),
                CsKit.ActAsync(second, current, "change-number", new { version, newPhone = CsKit.Phone(61 + (round * 2)) }));
            var ok = answers.Count(a => a.StatusCode is HttpStatusCode.OK or HttpStatusCode.Accepted);
            Assert.Equal(round < 2 ? 1 : 0, ok);
            if (round < 2)
            {
                current = await AfterSendKit.ScalarAsync<long>(h, "SELECT id FROM delivery_items WHERE parent_item_id = @current", new { current });
            }
            else
            {
                var refused = await answers[0].JsonAsync(HttpStatusCode.Conflict);
                Assert.Equal("번호변경 가능 횟수(2회)를 모두 사용했습니다.", refused.GetProperty("detail").GetString());
            }
        }

        Assert.Equal(2, await AfterSendKit.ScalarAsync<int>(h, "SELECT COUNT(*) FROM phone_changes"));
        Assert.Equal(3, await AfterSendKit.ScalarAsync<int>(h, "SELECT COUNT(*) FROM delivery_items WHERE campaign_id = @campaign", new { campaign }));
    }
}
