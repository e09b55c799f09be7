using CouponDesk.Features.Coupons;
using CouponDesk.Features.Messages;
using CouponDesk.Features.Pipeline;

namespace CouponDesk.Features.CustomerService;

/// <summary>Whether one action may run now and, if not, the Korean reason the disabled button's tooltip shows.</summary>
public sealed record CsAvailability(bool Enabled, string? Reason)
{
    public static readonly CsAvailability Yes = new(true, null);

    public static CsAvailability No(string reason) => new(false, reason);
}

/// <summary>Which 번호변경 applies (spec D14 / D13); written by name in JSON.</summary>
[System.Text.Json.Serialization.JsonConverter(typeof(System.Text.Json.Serialization.JsonStringEnumConverter<PhoneChangeMode>))]
public enum PhoneChangeMode
{
    /// <summary>No message reached the agent: only the number changes (spec D14).</summary>
    BeforeSend,

    /// <summary>A message reached the agent: cancel the coupon at COUFUN, buy a new one (spec D13).</summary>
    AfterSend,
}

public sealed record CsActions(CsAvailability Resend, CsAvailability ChangeNumber, PhoneChangeMode? ChangeMode, CsAvailability Discard, CsAvailability Memo, CsAvailability Refresh);

/// <summary>
/// The table of spec §3.4.4 as code: for an item's situation, which of 재발송 / 번호변경 / 쿠폰폐기 / 기타 / 상태 새로고침
/// are allowed, and why not. The page draws its buttons from it and every action checks it again under the item's
/// row lock, so a refused action changes nothing. 기타 (memo) is always allowed.
/// </summary>
public static class CsRules
{
    public const string CampaignCancelled = "취소 중이거나 취소된 발송 건입니다.";
    public const string NotIssued = "쿠폰이 아직 발급되지 않았습니다.";
    public const string FailedItem = "발급실패·이미지오류 건입니다. 발송조회의 실패 건 재시도를 이용하세요.";
    public const string NotSentYet = "아직 발송되지 않은 쿠폰입니다. 발송 후 재발송할 수 있습니다.";
    public const string ResendInFlight = "발송 결과를 받기 전에는 재발송할 수 없습니다.";
    public const string ChangeInFlight = "발송 결과를 받기 전에는 번호를 변경할 수 없습니다.";
    public const string DiscardInFlight = "발송 결과를 받기 전에는 쿠폰을 폐기할 수 없습니다.";
    public const string Used = "이미 사용된 쿠폰입니다.";
    public const string UsedNoChange = "이미 사용된 쿠폰은 번호를 변경할 수 없습니다.";
    public const string PartlyUsedNoChange = "부분 사용된 쿠폰은 번호를 변경할 수 없습니다.";
    public const string PartlyUsedNoDiscard = "부분 사용된 쿠폰은 폐기할 수 없습니다.";
    public const string Discarded = "폐기된 쿠폰입니다.";
    public const string Expired = "유효기간이 지난 쿠폰입니다.";
    public const string Replaced = "번호변경으로 대체된 쿠폰입니다. 새 쿠폰에서 처리하세요.";
    public const string ItemCancelled = "취소된 건입니다.";
    public const string ResendLimit = "재발송 가능 횟수(3회)를 모두 사용했습니다.";
    public const string ChangeLimit = "번호변경 가능 횟수(2회)를 모두 사용했습니다.";
    public const string ResendDue = "자동 재발송이 예정되어 있습니다. 결과를 받은 후 다시 시도하세요.";
    public const string CancelPending = "공급사 쿠폰 취소를 재시도하는 중입니다.";
    public const string PhonePurged = "보존 기간이 지나 수신자 번호가 파기되었습니다.";
    public const string NoCouponToRefresh = "조회할 쿠폰이 없습니다.";
    public const string ApprovalPending = "승인 대기 중인 요청이 있습니다.";

    public static CsActions Decide(CsItemState s, DateOnly todayKst, int maxResends, int maxPhoneChanges)
    {
        var refresh = s.CouponId is null ? CsAvailability.No(NotIssued)
            : s.ItemStatus is ItemStatus.IssueFailed or ItemStatus.RenderFailed ? CsAvailability.No(FailedItem)
            : CsAvailability.Yes;
        if (s.CampaignStatus is Campaigns.CampaignStatus.Cancelling or Campaigns.CampaignStatus.Cancelled)
        {
            var no = CsAvailability.No(CampaignCancelled);
            return new CsActions(no, no, null, no, CsAvailability.Yes, refresh);
        }

        if (s.ApprovalPending)
        {
            // Spec §1.3 item 2 / §3.4.4: while a request waits, only 기타 and 상태 새로고침 stay available.
            var waiting = CsAvailability.No(ApprovalPending);
            return new CsActions(waiting, waiting, null, waiting, CsAvailability.Yes, refresh);
        }

        var (change, mode) = ChangeNumber(s, todayKst, maxPhoneChanges);
        return new CsActions(Resend(s, todayKst, maxResends), change, mode, Discard(s, todayKst), CsAvailability.Yes, refresh);
    }

    /// <summary>Common refusals of the item's own state (failed, replaced, cancelled, not issued).</summary>
    private static string? ItemRefusal(CsItemState s) => s.ItemStatus switch
    {
        ItemStatus.IssueFailed or ItemStatus.RenderFailed => FailedItem,
        ItemStatus.Replaced => Replaced,
        ItemStatus.Cancelled => ItemCancelled,
        _ => null,
    };

    private static string? CouponRefusal(CsItemState s, DateOnly todayKst, string used) =>
        s.CouponStatus == CouponStatus.Used ? used
        : s.CouponStatus == CouponStatus.Cancelled ? Discarded
        : s.IsExpired(todayKst) ? Expired
        : null;

    private static bool MessageReady(CsItemState s) => s.MessageStatus == MessageStatus.Ready;

    private static CsAvailability Resend(CsItemState s, DateOnly todayKst, int maxResends)
    {
        var refusal = ItemRefusal(s)
            ?? (s.CouponId is null ? NotIssued : null)
            ?? CouponRefusal(s, todayKst, Used)
            ?? s.ItemStatus switch
            {
                ItemStatus.Issued or ItemStatus.Rendered => NotSentYet,
                ItemStatus.Queued when MessageReady(s) && !s.AnyMessageTaken => NotSentYet,
                ItemStatus.Queued => ResendInFlight,
                ItemStatus.Sent or ItemStatus.SendFailed => null,
                _ => NotSentYet,
            }
            ?? (s.CancelPending ? CancelPending : null)
            ?? (s.ResendDue ? ResendDue : null)
            ?? (s.PhonePurged ? PhonePurged : null)
            ?? (s.ResendCount >= maxResends ? ResendLimit : null);
        return refusal is null ? CsAvailability.Yes : CsAvailability.No(refusal);
    }

    private static (CsAvailability, PhoneChangeMode?) ChangeNumber(CsItemState s, DateOnly todayKst, int maxPhoneChanges)
    {
        PhoneChangeMode? mode = null;
        var refusal = ItemRefusal(s)
            ?? (s.CouponId is null ? null : CouponRefusal(s, todayKst, UsedNoChange))
            ?? (s.CouponStatus == CouponStatus.PartiallyUsed ? PartlyUsedNoChange : null);
        if (refusal is null)
        {
            (mode, refusal) = s.ItemStatus switch
            {
                ItemStatus.Pending or ItemStatus.Issuing or ItemStatus.Issued or ItemStatus.Rendered when !s.AnyMessageTaken => (PhoneChangeMode.BeforeSend, null),
                ItemStatus.Queued when MessageReady(s) && !s.AnyMessageTaken => (PhoneChangeMode.BeforeSend, null),
                ItemStatus.Sent or ItemStatus.SendFailed => (PhoneChangeMode.AfterSend, (string?)null),
                _ => ((PhoneChangeMode?)null, ChangeInFlight),
            };
        }

        refusal ??= (s.CancelPending ? CancelPending : null)
            ?? (s.ResendDue ? ResendDue : null)
            ?? (s.PhonePurged ? PhonePurged : null)
            ?? (s.PhoneChangeCount >= maxPhoneChanges ? ChangeLimit : null);
        return refusal is null ? (CsAvailability.Yes, mode) : (CsAvailability.No(refusal), null);
    }

    private static CsAvailability Discard(CsItemState s, DateOnly todayKst)
    {
        var refusal = ItemRefusal(s)
            ?? (s.CouponId is null ? NotIssued : null)
            ?? CouponRefusal(s, todayKst, Used)
            ?? (s.CouponStatus == CouponStatus.PartiallyUsed ? PartlyUsedNoDiscard : null)
            ?? s.ItemStatus switch
            {
                ItemStatus.Issued or ItemStatus.Rendered or ItemStatus.Sent or ItemStatus.SendFailed => null,
                ItemStatus.Queued when MessageReady(s) => null,
                _ => DiscardInFlight,
            }
            ?? (s.CancelPending ? CancelPending : null);
        return refusal is null ? CsAvailability.Yes : CsAvailability.No(refusal);
    }
}
