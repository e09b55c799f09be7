using System.Net;
using System.Net.Http.Json;
using System.Text;
using CouponDesk.Tests.Pipeline.Resends;

namespace CouponDesk.Tests.CustomerService;

/// <summary>
/// Issue 16 "Bad input": every case gets a clear Korean problem answer with a stable code, and changes nothing (the
/// whole C/S-visible state is compared before and after).
/// </summary>
public sealed class CsBadInputTests
{
    [Fact]
    public async Task Every_bad_request_is_answered_in_korean_and_changes_nothing()
    {
        await using var h = await CsKit.StartAsync();
        var campaign = await CsKit.DeliveredCampaignAsync(h, 3, 71);
        using var client = await AfterSendKit.OperatorAsync(h);
        using var viewer = await AfterSendKit.ViewerAsync(h);
        var item = await CsKit.ItemAsync(h, campaign, 1);
        var version = await CsKit.VersionAsync(client, item);
        var used = await CsKit.ItemAsync(h, campaign, 3);
        await AfterSendKit.ScalarAsync<int>(h, "UPDATE coupons k JOIN delivery_items d ON d.coupon_id = k.id SET k.status = 'USED' WHERE d.id = @used", new { used });
        var usedVersion = await CsKit.VersionAsync(client, used);
        var state = await CsKit.SnapshotAsync(h);

        async Task Refused(Func<Task<HttpResponseMessage>> call, HttpStatusCode status, string code, string detail)
        {
            var response = await call();
            var problem = await response.JsonAsync(status);
            Assert.Equal(code, problem.GetProperty("code").GetString());
            Assert.Contains(detail, problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
            Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
            Assert.Equal(state, await CsKit.SnapshotAsync(h));
        }

        // Search keys.
        await Refused(() => client.PostAsJsonAsync("/api/cs/search", new { }), HttpStatusCode.BadRequest, "query_required", "쿠폰번호 또는 휴대폰 번호를 입력하세요.");
        await Refused(() => client.PostAsJsonAsync("/api/cs/search", new { phone = "02-1234-5678" }), HttpStatusCode.BadRequest, "invalid_phone", "휴대폰 번호 형식이 올바르지 않습니다.");
        await Refused(() => client.PostAsJsonAsync("/api/cs/search", new { phone = "010'; DROP TABLE coupons;--" }), HttpStatusCode.BadRequest, "invalid_phone", "휴대폰 번호 형식이 올바르지 않습니다.");
        await Refused(() => client.PostAsJsonAsync("/api/cs/search", new { couponNumber = "12%_" }), HttpStatusCode.BadRequest, "invalid_coupon_number", "쿠폰번호는 영문과 숫자로");
        await Refused(() => client.PostAsJsonAsync("/api/cs/search", new { couponNumber = "1234" }), HttpStatusCode.BadRequest, "last4_needs_phone", "휴대폰 번호를 함께 입력하세요.");
        await Refused(() => client.PostAsJsonAsync("/api/cs/search", new { phone = "01000000071", cursor = "abc" }), HttpStatusCode.BadRequest, "validation_failed", "잘못된 페이지 위치입니다.");
        await Refused(() => client.PostAsJsonAsync("/api/cs/search", new { phone = "01000000071", limit = 1000 }), HttpStatusCode.BadRequest, "validation_failed", "1~100건");
        // The keys belong in the body: the old query-string form is gone, and a body that is not JSON is refused.
        await Refused(() => client.GetAsync("/api/cs/search?phone=01000000071"), HttpStatusCode.MethodNotAllowed, "method_not_allowed", "");
        await Refused(() => client.PostAsync("/api/cs/search", new StringContent("{\"phone\": ", Encoding.UTF8, "application/json")), HttpStatusCode.BadRequest, "malformed_body", "요청");
        await Refused(() => client.PostAsync("/api/cs/search", new StringContent("{\"phone\": \"01000000071\", \"limit\": \"many\"}", Encoding.UTF8, "application/json")), HttpStatusCode.BadRequest, "malformed_body", "요청");

        // 번호변경: format, same number, a number already in the campaign.
        await Refused(() => CsKit.ActAsync(client, item, "change-number", new { version, newPhone = "0101234" }), HttpStatusCode.BadRequest, "validation_failed", "휴대폰 번호는 010으로 시작하는 11자리 숫자로 입력해주세요.");
        await Refused(() => CsKit.ActAsync(client, item, "change-number", new { version, newPhone = "011-0000-0071" }), HttpStatusCode.BadRequest, "validation_failed", "010으로 시작하는 11자리");
        await Refused(() => CsKit.ActAsync(client, item, "change-number", new { version, newPhone = "010-0000-0071" }), HttpStatusCode.BadRequest, "validation_failed", "번호가 동일합니다. 확인 후 다시 입력하세요.");
        await Refused(() => CsKit.ActAsync(client, item, "change-number", new { version, newPhone = CsKit.Phone(72) }), HttpStatusCode.Conflict, "number_in_campaign", "동일한 번호가 이미 캠페인에 존재합니다.");
        await Refused(() => CsKit.ActAsync(client, item, "change-number", new { version }), HttpStatusCode.BadRequest, "validation_failed", "변경할 휴대폰 번호를 입력하세요.");

        // Memos: too long, control characters (NUL, an ANSI escape, a right-to-left override), empty for 기타.
        await Refused(() => CsKit.ActAsync(client, item, "memo", new { memo = new string('가', 501) }), HttpStatusCode.BadRequest, "validation_failed", "상담 메모는 500자까지 입력할 수 있습니다.");
        foreach (var hostile in new[] { "메모\u0000끝", "\u001b[31m빨강", "abc\u202Egnp.exe", "줄\u0007벨" })
        {
            await Refused(() => CsKit.ActAsync(client, item, "memo", new { memo = hostile }), HttpStatusCode.BadRequest, "validation_failed", "제어 문자");
            await Refused(() => CsKit.ActAsync(client, item, "resend", new { version, memo = hostile }), HttpStatusCode.BadRequest, "validation_failed", "제어 문자");
        }

        await Refused(() => CsKit.ActAsync(client, item, "memo", new { memo = "   " }), HttpStatusCode.BadRequest, "validation_failed", "상담 내용을 입력해주세요.");

        // 쿠폰폐기 needs a reason from the list, and a memo for 기타.
        await Refused(() => CsKit.ActAsync(client, item, "discard", new { version }), HttpStatusCode.BadRequest, "validation_failed", "폐기 사유를 선택하세요");
        await Refused(() => CsKit.ActAsync(client, item, "discard", new { version, reason = "BECAUSE" }), HttpStatusCode.BadRequest, "validation_failed", "폐기 사유를 선택하세요");
        await Refused(() => CsKit.ActAsync(client, item, "discard", new { version, reason = "OTHER" }), HttpStatusCode.BadRequest, "validation_failed", "기타 사유는 상담 메모에 입력하세요.");

        // An action the item's state does not allow, a stale page, no version, an unknown item.
        await Refused(() => CsKit.ActAsync(client, used, "resend", new { version = usedVersion }), HttpStatusCode.Conflict, "action_not_allowed", "이미 사용된 쿠폰입니다.");
        await Refused(() => CsKit.ActAsync(client, used, "change-number", new { version = usedVersion, newPhone = CsKit.Phone(79) }), HttpStatusCode.Conflict, "action_not_allowed", "이미 사용된 쿠폰은 번호를 변경할 수 없습니다.");
        await Refused(() => CsKit.ActAsync(client, item, "resend", new { version = version + 1 }), HttpStatusCode.Conflict, "stale_item", "현재 상태를 확인한 뒤 다시 시도하세요.");
        var stale = await (await CsKit.ActAsync(client, item, "resend", new { version = version + 1 })).JsonAsync(HttpStatusCode.Conflict);
        Assert.Equal(version, stale.GetProperty("item").GetProperty("version").GetInt32()); // the current state comes with the 409
        await Refused(() => CsKit.ActAsync(client, item, "resend", new { }), HttpStatusCode.BadRequest, "validation_failed", "다시 조회한 뒤 시도하세요.");
        await Refused(() => CsKit.ActAsync(client, 987654321, "resend", new { version = 0 }), HttpStatusCode.NotFound, "not_found", "C/S 대상 건을 찾을 수 없습니다.");
        await Refused(() => client.GetAsync("/api/cs/items/987654321"), HttpStatusCode.NotFound, "not_found", "C/S 대상 건을 찾을 수 없습니다.");

        // Malformed and oversized bodies.
        await Refused(() => client.PostAsync($"/api/cs/items/{item}/memo", new StringContent("{\"memo\":", Encoding.UTF8, "application/json")), HttpStatusCode.BadRequest, "malformed_body", "요청 형식이 올바르지 않습니다.");
        await Refused(() => client.PostAsJsonAsync($"/api/cs/items/{item}/memo", new { memo = new string('a', 20_000) }), HttpStatusCode.RequestEntityTooLarge, "payload_too_large", "요청 크기가 허용 한도를 넘었습니다.");

        // 원문 보기 needs a reason (and its text for 기타).
        await Refused(() => CsKit.ActAsync(client, item, "reveal-phone", new { }), HttpStatusCode.BadRequest, "validation_failed", "원문 보기 사유를 선택하세요.");
        await Refused(() => CsKit.ActAsync(client, item, "reveal-phone", new { reason = "OTHER" }), HttpStatusCode.BadRequest, "validation_failed", "기타 사유를 입력하세요.");

        // Roles without the permission (spec §1.2 P10–P17): a VIEWER has no C/S; an OPERATOR sees no coupon number.
        await Refused(() => viewer.PostAsJsonAsync("/api/cs/search", new { phone = "01000000071" }), HttpStatusCode.Forbidden, "forbidden", "권한이 없습니다.");
        await Refused(() => viewer.GetAsync($"/api/cs/items/{item}"), HttpStatusCode.Forbidden, "forbidden", "권한이 없습니다.");
        foreach (var action in new[] { "resend", "change-number", "discard", "memo", "refresh", "reveal-phone" })
        {
            await Refused(() => CsKit.ActAsync(viewer, item, action, new { version, memo = "x", reason = "CUSTOMER_CHECK", newPhone = CsKit.Phone(79) }), HttpStatusCode.Forbidden, "forbidden", "권한이 없습니다.");
        }

        await Refused(() => CsKit.ActAsync(client, item, "reveal-coupon-number", new { reason = "CUSTOMER_CHECK" }), HttpStatusCode.Forbidden, "forbidden", "권한이 없습니다.");
        Assert.Equal(0, await AfterSendKit.ScalarAsync<int>(h, "SELECT COUNT(*) FROM audit_log WHERE action LIKE 'cs.%' AND action <> 'cs.searched' AND action <> 'cs.item_viewed'"));
    }
}
