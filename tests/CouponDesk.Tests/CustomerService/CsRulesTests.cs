using CouponDesk.Features.Campaigns;
using CouponDesk.Features.CustomerService;

namespace CouponDesk.Tests.CustomerService;

/// <summary>
/// Spec §3.4.4, one case per row: which of 재발송 / 번호변경 / 쿠폰폐기 / 기타 / 상태 새로고침 an item's situation allows,
/// and the reason a disabled button shows. ✔ = allowed; "number" = 번호변경 changes only the number (spec D14).
/// </summary>
public sealed class CsRulesTests
{
    private static readonly DateOnly Today = new(2026, 12, 1);

    private static CsItemState Item(string item, string? coupon = "UNUSED", string? message = null, bool taken = false, string campaign = "COMPLETED") => new()
    {
        ItemId = 1,
        CampaignId = 1,
        CampaignStatus = campaign,
        ItemStatus = item,
        CouponId = coupon is null ? null : 1,
        CouponStatus = coupon,
        ValidUntil = new DateTime(2027, 1, 31),
        MessageId = message is null ? null : 1,
        MessageStatus = message,
        AnyMessageTaken = taken,
    };

    public static TheoryData<string, CsItemState, string, string, string, string, string> Rows => new()
    {
        // row, state, 재발송, 번호변경, 쿠폰폐기, 기타, 상태 새로고침
        { "발급 전 PENDING", Item("PENDING", coupon: null), "-", "number", "-", "✔", "-" },
        { "발급 전 ISSUING", Item("ISSUING", coupon: null), "-", "number", "-", "✔", "-" },
        { "issued, not queued", Item("ISSUED"), "-", "number", "✔", "✔", "✔" },
        { "drawn, not queued", Item("RENDERED"), "-", "number", "✔", "✔", "✔" },
        { "미교환, last message succeeded", Item("SENT", message: "SUCCESS", taken: true), "✔", "✔", "✔", "✔", "✔" },
        { "미교환, last message failed", Item("SEND_FAILED", message: "FAILURE", taken: true), "✔", "✔", "✔", "✔", "✔" },
        { "미교환, in flight", Item("QUEUED", message: "IN_AGENT", taken: true), "-", "-", "-", "✔", "✔" },
        { "미교환, ready (future send time)", Item("QUEUED", message: "READY"), "-", "number", "✔", "✔", "✔" },
        { "부분사용", Item("SENT", coupon: "PARTIALLY_USED", message: "SUCCESS", taken: true), "✔", "-", "-", "✔", "✔" },
        { "교환", Item("SENT", coupon: "USED", message: "SUCCESS", taken: true), "-", "-", "-", "✔", "✔" },
        { "폐기", Item("SENT", coupon: "CANCELLED", message: "SUCCESS", taken: true), "-", "-", "-", "✔", "✔" },
        { "만료", Item("SENT", coupon: "EXPIRED", message: "SUCCESS", taken: true), "-", "-", "-", "✔", "✔" },
        { "발급실패", Item("ISSUE_FAILED", coupon: null), "-", "-", "-", "✔", "-" },
        { "이미지오류", Item("RENDER_FAILED"), "-", "-", "-", "✔", "-" },
        { "REPLACED", Item("REPLACED", coupon: "CANCELLED", message: "SUCCESS", taken: true), "-", "-", "-", "✔", "✔" },
        { "campaign CANCELLING", Item("SENT", message: "SUCCESS", taken: true, campaign: "CANCELLING"), "-", "-", "-", "✔", "✔" },
        { "campaign CANCELLED", Item("CANCELLED", campaign: "CANCELLED"), "-", "-", "-", "✔", "✔" },
    };

    [Theory]
    [MemberData(nameof(Rows))]
    public void Each_row_of_the_table(string row, CsItemState state, string resend, string change, string discard, string memo, string refresh)
    {
        var a = CsRules.Decide(state, Today, maxResends: 3, maxPhoneChanges: 2);
        Assert.True(Mark(a.Resend) == resend, $"{row}: 재발송 {Mark(a.Resend)} ({a.Resend.Reason})");
        var changeMark = a.ChangeNumber.Enabled && a.ChangeMode == PhoneChangeMode.BeforeSend ? "number" : Mark(a.ChangeNumber);
        Assert.True(changeMark == change, $"{row}: 번호변경 {changeMark} ({a.ChangeNumber.Reason})");
        Assert.True(Mark(a.Discard) == discard, $"{row}: 쿠폰폐기 {Mark(a.Discard)} ({a.Discard.Reason})");
        Assert.Equal(memo, Mark(a.Memo));
        Assert.True(Mark(a.Refresh) == refresh, $"{row}: 상태 새로고침 {Mark(a.Refresh)} ({a.Refresh.Reason})");
        foreach (var disabled in new[] { a.Resend, a.ChangeNumber, a.Discard, a.Refresh }.Where(x => !x.Enabled))
        {
            Assert.False(string.IsNullOrWhiteSpace(disabled.Reason), $"{row}: a disabled button needs its tooltip");
        }
    }

    [Fact]
    public void Limits_reached_give_the_specs_messages()
    {
        var sent = Item("SENT", message: "SUCCESS", taken: true) with { ResendCount = 3, PhoneChangeCount = 2 };
        var a = CsRules.Decide(sent, Today, 3, 2);
        Assert.Equal(("-", "재발송 가능 횟수(3회)를 모두 사용했습니다."), (Mark(a.Resend), a.Resend.Reason));
        Assert.Equal(("-", "번호변경 가능 횟수(2회)를 모두 사용했습니다."), (Mark(a.ChangeNumber), a.ChangeNumber.Reason));
        Assert.True(a.Discard.Enabled);

        var below = CsRules.Decide(sent with { ResendCount = 2, PhoneChangeCount = 1 }, Today, 3, 2);
        Assert.True(below.Resend.Enabled);
        Assert.Equal(PhoneChangeMode.AfterSend, below.ChangeMode);
    }

    [Fact]
    public void An_expired_validity_counts_as_expired_even_before_the_expiry_job()
    {
        var stale = Item("SENT", message: "SUCCESS", taken: true) with { ValidUntil = new DateTime(2026, 11, 30) };
        var a = CsRules.Decide(stale, Today, 3, 2);
        Assert.Equal(CsRules.Expired, a.Resend.Reason);
        Assert.Equal(CsRules.Expired, a.ChangeNumber.Reason);
        Assert.Equal(CsRules.Expired, a.Discard.Reason);
        Assert.True(CsRules.Decide(stale with { ValidUntil = new DateTime(2026, 12, 1) }, Today, 3, 2).Resend.Enabled); // valid through its last day
    }

    [Fact]
    public void Pending_work_on_the_item_disables_what_would_race_it()
    {
        var due = CsRules.Decide(Item("SEND_FAILED", message: "FAILURE", taken: true) with { ResendDue = true }, Today, 3, 2);
        Assert.Equal(CsRules.ResendDue, due.Resend.Reason);
        Assert.Equal(CsRules.ResendDue, due.ChangeNumber.Reason);
        Assert.True(due.Discard.Enabled); // a discard drops the due resend

        var cancelling = CsRules.Decide(Item("SENT", message: "SUCCESS", taken: true) with { CancelPending = true }, Today, 3, 2);
        Assert.False(cancelling.Resend.Enabled || cancelling.ChangeNumber.Enabled || cancelling.Discard.Enabled);
        Assert.True(cancelling.Memo.Enabled && cancelling.Refresh.Enabled);

        // A resend waiting in the agent's queue after an earlier delivery: in flight for a number change.
        var resendQueued = CsRules.Decide(Item("QUEUED", message: "READY", taken: true), Today, 3, 2);
        Assert.Equal(CsRules.ChangeInFlight, resendQueued.ChangeNumber.Reason);
        Assert.Equal(CsRules.ResendInFlight, resendQueued.Resend.Reason);

        var purged = CsRules.Decide(Item("SENT", message: "SUCCESS", taken: true) with { PhonePurged = true }, Today, 3, 2);
        Assert.Equal(CsRules.PhonePurged, purged.Resend.Reason);
    }

    [Fact]
    public void The_night_window_wraps_midnight_and_can_be_switched_off()
    {
        // The resend's window is 설정's 야간 발송 시간대 (D-SET-6).
        var options = new CampaignOptions();
        Assert.True(options.IsNight(new DateTime(2026, 12, 1, 21, 0, 0)));
        Assert.True(options.IsNight(new DateTime(2026, 12, 1, 7, 59, 0)));
        Assert.False(options.IsNight(new DateTime(2026, 12, 1, 8, 0, 0)));
        Assert.False(options.IsNight(new DateTime(2026, 12, 1, 20, 59, 0)));
        Assert.False(new CampaignOptions { NightStartHour = 0, NightEndHour = 0 }.IsNight(new DateTime(2026, 12, 1, 23, 0, 0)));
        Assert.True(new CampaignOptions { NightStartHour = 9, NightEndHour = 18 }.IsNight(new DateTime(2026, 12, 1, 12, 0, 0)));
        Assert.False(new CampaignOptions { NightStartHour = 9, NightEndHour = 18 }.IsNight(new DateTime(2026, 12, 1, 18, 0, 0)));
    }

    private static string Mark(CsAvailability a) => a.Enabled ? "✔" : "-";
}
