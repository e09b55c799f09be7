using System.Net;
using CouponDesk.Security;
using CouponDesk.Tests.CustomerService;
using CouponDesk.Tests.Pipeline.Resends;
using CouponDesk.Tests.Settings;
using Dapper;

namespace CouponDesk.Tests.Approvals;

/// <summary>
/// Two-person approval of the C/S actions (spec §1.3 steps 1–5 and 8, §3.9) against the pipeline and both stand-ins:
/// each covered action becomes a PENDING request, another operator approves it and the action runs through its own
/// method with every precondition checked again; every refusal answers a problem with a stable code and changes nothing.
/// Phones 010-0000-0300… (this class only).
/// </summary>
public sealed class ApprovalWorkflowTests
{
    [Fact]
    public async Task A_resend_waits_for_another_operator_and_every_wrong_step_is_refused_without_a_change()
    {
        await using var h = await ApprovalKit.StartAsync();
        var campaign = await CsKit.DeliveredCampaignAsync(h, 2, 300);
        using var requester = await AfterSendKit.OperatorAsync(h);
        using var approver = await AfterSendKit.OperatorAsync(h);
        var item = await CsKit.ItemAsync(h, campaign, 1);
        var version = await CsKit.VersionAsync(requester, item);
        var before = await CsKit.SnapshotAsync(h);

        // The switch is on: a caller that did not ask for approval (its page was drawn with the switch off) is refused;
        // a request needs a memo.
        Assert.Equal("approval_required", await CsKit.CodeAsync(await CsKit.ActAsync(requester, item, "resend", new { version }), HttpStatusCode.Conflict));
        var noMemo = await (await CsKit.ActAsync(requester, item, "resend", new { version, requestApproval = true })).JsonAsync(HttpStatusCode.BadRequest);
        Assert.Equal("승인 요청에는 상담 메모를 입력해야 합니다.", noMemo.GetProperty("errors").GetProperty("memo")[0].GetString());
        Assert.Equal(before, await CsKit.SnapshotAsync(h));
        Assert.Equal(0, await AfterSendKit.ScalarAsync<int>(h, "SELECT COUNT(*) FROM approval_requests"));

        var id = await ApprovalKit.RequestAsync(h, requester, item, "resend", new { version, memo = "문자를 못 받았다는 고객 문의", requestApproval = true });
        Assert.Equal(before, await CsKit.SnapshotAsync(h)); // nothing sent yet
        var row = await CsKit.RowAsync(requester, item);
        foreach (var action in new[] { "resend", "changeNumber", "discard" })
        {
            Assert.Equal("승인 대기 중인 요청이 있습니다.", row.GetProperty("actions").GetProperty(action).GetProperty("reason").GetString());
        }

        Assert.True(row.GetProperty("actions").GetProperty("memo").GetProperty("enabled").GetBoolean());
        // Another state-changing action on the same coupon waits too (a second request as well).
        var second = await (await CsKit.ActAsync(approver, item, "discard", new { version = await CsKit.VersionAsync(approver, item), reason = "WRONG_SEND", memo = "중복", requestApproval = true }))
            .JsonAsync(HttpStatusCode.Conflict);
        Assert.Equal(("action_not_allowed", "승인 대기 중인 요청이 있습니다."), (second.GetProperty("code").GetString(), second.GetProperty("detail").GetString()));

        // The badge: the approver has one request to decide, the requester none; 내 요청 lists it for the requester.
        Assert.Equal((1, 0), (await ApprovalKit.CountAsync(approver), await ApprovalKit.CountAsync(requester)));
        var mine = (await ApprovalKit.ListAsync(requester, "mine"))[0];
        Assert.Equal(("재발송", "승인 대기", true, false), (mine.GetProperty("kindLabel").GetString(), mine.GetProperty("statusLabel").GetString(),
            mine.GetProperty("canWithdraw").GetBoolean(), mine.GetProperty("canApprove").GetBoolean()));
        var waiting = (await ApprovalKit.ListAsync(approver, "pending"))[0];
        Assert.Equal(("문자를 못 받았다는 고객 문의", true), (waiting.GetProperty("memo").GetString(), waiting.GetProperty("canApprove").GetBoolean()));
        Assert.Equal(0, (await ApprovalKit.ListAsync(requester, "pending")).GetArrayLength());

        // Refusals that change nothing: approving or rejecting one's own request, withdrawing someone else's.
        var pending = await CsKit.SnapshotAsync(h);
        var own = await (await ApprovalKit.ApproveAsync(requester, id)).JsonAsync(HttpStatusCode.Conflict);
        Assert.Equal(("approval_own_request", "본인의 요청은 승인할 수 없습니다."), (own.GetProperty("code").GetString(), own.GetProperty("detail").GetString()));
        Assert.Equal("approval_own_request", await CsKit.CodeAsync(await ApprovalKit.RejectAsync(requester, id, "잘못 요청"), HttpStatusCode.Conflict));
        Assert.Equal("approval_not_requester", await CsKit.CodeAsync(await ApprovalKit.WithdrawAsync(approver, id), HttpStatusCode.Forbidden));
        Assert.Equal("validation_failed", await CsKit.CodeAsync(await ApprovalKit.RejectAsync(approver, id, "  "), HttpStatusCode.BadRequest));
        Assert.Equal("validation_failed", await CsKit.CodeAsync(await ApprovalKit.RejectAsync(approver, id, new string('가', 201)), HttpStatusCode.BadRequest));
        Assert.Equal("validation_failed", await CsKit.CodeAsync(await ApprovalKit.RejectAsync(approver, id, "사유\u202e"), HttpStatusCode.BadRequest));
        Assert.Equal(HttpStatusCode.NotFound, (await ApprovalKit.ApproveAsync(approver, id + 1000)).StatusCode);
        using (var viewer = await AfterSendKit.ViewerAsync(h))
        {
            Assert.Equal(HttpStatusCode.Forbidden, (await ApprovalKit.ApproveAsync(viewer, id)).StatusCode);
        }

        Assert.Equal(pending, await CsKit.SnapshotAsync(h));
        Assert.Equal("PENDING", await ApprovalKit.StatusAsync(h, id));

        // 승인: the resend itself runs now, as the requester's action with the approver as 승인자.
        var approved = await (await ApprovalKit.ApproveAsync(approver, id)).JsonAsync(HttpStatusCode.OK);
        Assert.Equal(("승인되어 처리되었습니다.", "EXECUTED"), (approved.GetProperty("message").GetString(), approved.GetProperty("status").GetString()));
        await CsKit.WaitForItemAsync(h, item, "SENT");
        Assert.Equal(["INITIAL", "CS_RESEND"], (await CsKit.DeliveriesAsync(h, item)).Select(d => d.Type));
        Assert.Equal(1, (await CsKit.RowAsync(requester, item)).GetProperty("resendCount").GetInt32());

        // A second click on 승인 (or a second approver) finds it handled: nothing is sent twice.
        var again = await (await ApprovalKit.ApproveAsync(approver, id)).JsonAsync(HttpStatusCode.Conflict);
        Assert.Equal(("approval_already_handled", "이미 처리된 요청입니다 (승인·처리 완료)."), (again.GetProperty("code").GetString(), again.GetProperty("detail").GetString()));
        Assert.Equal("approval_already_handled", await CsKit.CodeAsync(await ApprovalKit.WithdrawAsync(requester, id), HttpStatusCode.Conflict));
        Assert.Equal(2, (await CsKit.DeliveriesAsync(h, item)).Count);

        // Both see the outcome; the CS history names the requester and the approver; every step is audited.
        var handled = (await ApprovalKit.ListAsync(approver, "handled"))[0];
        Assert.Equal(("EXECUTED", "재발송 처리되었습니다."), (handled.GetProperty("status").GetString(), handled.GetProperty("result").GetString()));
        Assert.Equal("EXECUTED", (await ApprovalKit.ListAsync(requester, "mine"))[0].GetProperty("status").GetString());
        await using (var c = await h.Database.OpenAsync())
        {
            var logins = await c.QuerySingleAsync<(string Requester, string Approver)>(
                "SELECT (SELECT login_id FROM users WHERE id = a.requested_by), (SELECT login_id FROM users WHERE id = a.decided_by) FROM approval_requests a WHERE a.id = @id", new { id });
            var history = await c.QuerySingleAsync<(string Actor, string Approver)>("SELECT actor_login, approver_login FROM cs_actions WHERE item_id = @item AND action = 'RESEND'", new { item });
            Assert.Equal(logins, history);
            var actions = (await c.QueryAsync<string>("SELECT action FROM audit_log WHERE target_type = 'approval_request' AND target_id = @id ORDER BY id", new { id = id.ToString(System.Globalization.CultureInfo.InvariantCulture) })).ToList();
            Assert.Equal(["approval.requested", "approval.approved", "approval.executed"], actions);
            Assert.Contains("\"approvalRequest\"", await c.ExecuteScalarAsync<string>("SELECT details FROM audit_log WHERE action = 'cs.resend'"), StringComparison.Ordinal);
        }

        // The switch turned off while the page still shows "승인 요청": refused, nothing stored.
        using var admin = await AfterSendKit.SignedInAsync(h, Roles.Admin);
        await SettingsApi.ChangeAsync(admin, new Dictionary<string, object> { ["Approvals:Resend"] = false });
        var other = await CsKit.ItemAsync(h, campaign, 2);
        var count = await AfterSendKit.ScalarAsync<int>(h, "SELECT COUNT(*) FROM approval_requests");
        var stale = await (await CsKit.ActAsync(requester, other, "resend", new { version = await CsKit.VersionAsync(requester, other), memo = "요청", requestApproval = true })).JsonAsync(HttpStatusCode.Conflict);
        Assert.Equal("approval_not_required", stale.GetProperty("code").GetString());
        Assert.Equal(count, await AfterSendKit.ScalarAsync<int>(h, "SELECT COUNT(*) FROM approval_requests"));
    }

    [Fact]
    public async Task A_number_change_is_stored_encrypted_and_runs_on_approval_and_a_coupon_used_meanwhile_fails_on_approval()
    {
        await using var h = await ApprovalKit.StartAsync();
        var campaign = await CsKit.DeliveredCampaignAsync(h, 3, 310);
        using var requester = await AfterSendKit.OperatorAsync(h);
        using var approver = await AfterSendKit.OperatorAsync(h);

        // 번호변경: the new number is stored encrypted (bound to the row) and shown masked.
        var moved = await CsKit.ItemAsync(h, campaign, 1);
        var badNumber = await (await CsKit.ActAsync(requester, moved, "change-number", new { version = await CsKit.VersionAsync(requester, moved), newPhone = "0212345678", memo = "번호 변경 요청", requestApproval = true }))
            .JsonAsync(HttpStatusCode.BadRequest);
        Assert.Equal("휴대폰 번호는 010으로 시작하는 11자리 숫자로 입력해주세요.", badNumber.GetProperty("detail").GetString());
        var change = await ApprovalKit.RequestAsync(h, requester, moved, "change-number",
            new { version = await CsKit.VersionAsync(requester, moved), newPhone = "01000000319", memo = "고객이 번호를 바꿈", requestApproval = true });
        await using (var c = await h.Database.OpenAsync())
        {
            var stored = await c.QuerySingleAsync<(byte[] Params, byte[] Memo, string Summary)>("SELECT params_enc, memo_enc, summary FROM approval_requests WHERE id = @change", new { change });
            Assert.DoesNotContain("01000000319", System.Text.Encoding.UTF8.GetString(stored.Params), StringComparison.Ordinal);
            Assert.DoesNotContain("고객이", System.Text.Encoding.UTF8.GetString(stored.Memo), StringComparison.Ordinal);
            Assert.Equal("새 번호 010-****-0319", stored.Summary);
            Assert.Equal(0x02, stored.Params[0]); // bound to its place (D-SEC-12)
        }

        var approved = await (await ApprovalKit.ApproveAsync(approver, change)).JsonAsync(HttpStatusCode.OK);
        Assert.True(approved.GetProperty("executed").GetBoolean(), approved.GetRawText());
        Assert.Equal("REPLACED", await AfterSendKit.ScalarAsync<string>(h, "SELECT status FROM delivery_items WHERE id = @moved", new { moved }));
        var replacement = await AfterSendKit.ScalarAsync<long>(h, "SELECT id FROM delivery_items WHERE parent_item_id = @moved", new { moved });
        await CsKit.WaitForItemAsync(h, replacement, "SENT");
        Assert.Equal(CsKit.Phone(319), (await CsKit.DeliveriesAsync(h, replacement)).Single().Phone);

        // 쿠폰폐기 requested, then the coupon is used at a store before anyone approves: the discard itself refuses at
        // approval time and the request ends EXECUTION_FAILED with COUFUN's reason, shown to both.
        var used = await CsKit.ItemAsync(h, campaign, 2);
        var discard = await ApprovalKit.RequestAsync(h, requester, used, "discard", new { version = await CsKit.VersionAsync(requester, used), reason = "WRONG_SEND", memo = "오발송 확인", requestApproval = true });
        (await h.Coufun.CouponEventAsync("use", await CsKit.CouponNumberAsync(h, used))).EnsureSuccessStatusCode();
        var failed = await (await ApprovalKit.ApproveAsync(approver, discard)).JsonAsync(HttpStatusCode.OK);
        Assert.Equal(("EXECUTION_FAILED", "승인했지만 처리에 실패했습니다: 이미 사용된 쿠폰입니다."), (failed.GetProperty("status").GetString(), failed.GetProperty("message").GetString()));
        Assert.Equal("이미 사용된 쿠폰입니다.", (await ApprovalKit.ListAsync(requester, "mine")).EnumerateArray().Single(l => l.GetProperty("id").GetInt64() == discard).GetProperty("result").GetString());
        Assert.Equal(0, await AfterSendKit.ScalarAsync<int>(h, "SELECT COUNT(*) FROM coupon_cancels WHERE item_id = @used", new { used }));

        // 반려 with a reason, then 요청 취소 by the requester: the item's actions are available again after each.
        var third = await CsKit.ItemAsync(h, campaign, 3);
        var rejected = await ApprovalKit.RequestAsync(h, requester, third, "resend", new { version = await CsKit.VersionAsync(requester, third), memo = "재발송 요청", requestApproval = true });
        var snapshot = await CsKit.SnapshotAsync(h);
        Assert.Equal("반려되었습니다.", (await (await ApprovalKit.RejectAsync(approver, rejected, "고객 확인 필요")).JsonAsync(HttpStatusCode.OK)).GetProperty("message").GetString());
        Assert.Equal(snapshot, await CsKit.SnapshotAsync(h));
        Assert.Equal("approval_already_handled", await CsKit.CodeAsync(await ApprovalKit.ApproveAsync(approver, rejected), HttpStatusCode.Conflict));
        Assert.True((await CsKit.RowAsync(requester, third)).GetProperty("actions").GetProperty("resend").GetProperty("enabled").GetBoolean());
        var withdrawn = await ApprovalKit.RequestAsync(h, requester, third, "resend", new { version = await CsKit.VersionAsync(requester, third), memo = "다시 요청", requestApproval = true });
        Assert.Equal("요청을 취소했습니다.", (await (await ApprovalKit.WithdrawAsync(requester, withdrawn)).JsonAsync(HttpStatusCode.OK)).GetProperty("message").GetString());
        Assert.Equal("approval_already_handled", await CsKit.CodeAsync(await ApprovalKit.ApproveAsync(approver, withdrawn), HttpStatusCode.Conflict));
        Assert.Equal(("REJECTED", "WITHDRAWN"), (await ApprovalKit.StatusAsync(h, rejected), await ApprovalKit.StatusAsync(h, withdrawn)));

        // Approving a request past its 24 hours (the job has not run yet) is refused: it is expired.
        var late = await ApprovalKit.RequestAsync(h, requester, third, "resend", new { version = await CsKit.VersionAsync(requester, third), memo = "늦은 요청", requestApproval = true });
        await using (var c = await h.Database.OpenAsync())
        {
            await c.ExecuteAsync("UPDATE approval_requests SET expires_at = @past WHERE id = @late", new { late, past = DateTime.UtcNow.AddMinutes(-1) });
        }

        var expired = await (await ApprovalKit.ApproveAsync(approver, late)).JsonAsync(HttpStatusCode.Conflict);
        Assert.Equal(("approval_expired", "만료된 요청입니다. 필요하면 다시 요청하세요."), (expired.GetProperty("code").GetString(), expired.GetProperty("detail").GetString()));
        Assert.Equal("PENDING", await ApprovalKit.StatusAsync(h, late));
        Assert.Equal(1, await AfterSendKit.ScalarAsync<int>(h, "SELECT COUNT(*) FROM messages WHERE recipient_id = @third", new { third }));
    }
}
