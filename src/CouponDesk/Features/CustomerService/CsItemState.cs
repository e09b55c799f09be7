namespace CouponDesk.Features.CustomerService;

/// <summary>
/// What the C/S rules look at for one delivery item (spec §3.4.4): its campaign's state, its own state and version,
/// its coupon, its current message, its counters and what is pending on it. Read for the result table and again under
/// the item's row lock before an action.
/// </summary>
public record CsItemState
{
    public long ItemId { get; init; }

    public long CampaignId { get; init; }

    public string CampaignStatus { get; init; } = "";

    public string ItemStatus { get; init; } = "";

    public int Version { get; init; }

    public long? CouponId { get; init; }

    public string? CouponStatus { get; init; }

    public DateTime? ValidUntil { get; init; }

    public long? MessageId { get; init; }

    public string? MessageStatus { get; init; }

    /// <summary>Some message of this item went beyond <c>ready</c> (the agent took it): a number change must cancel the coupon.</summary>
    public bool AnyMessageTaken { get; init; }

    public int ResendCount { get; init; }

    public int PhoneChangeCount { get; init; }

    /// <summary>An automatic resend or 실패 건 재시도 is due: the pipeline will queue it.</summary>
    public bool ResendDue { get; init; }

    /// <summary>A COUFUN cancel of the coupon is still being retried by the follow-up.</summary>
    public bool CancelPending { get; init; }

    /// <summary>A two-person approval request on this item is pending (spec §1.3 item 2): the other state-changing actions wait.</summary>
    public bool ApprovalPending { get; init; }

    /// <summary>The recipient's number was destroyed by the retention purge.</summary>
    public bool PhonePurged { get; init; }

    /// <summary>The coupon is past its validity (KST) or marked EXPIRED.</summary>
    public bool IsExpired(DateOnly todayKst) =>
        CouponStatus == Coupons.CouponStatus.Expired
        || (CouponStatus is Coupons.CouponStatus.Unused or Coupons.CouponStatus.PartiallyUsed && ValidUntil is { } until && DateOnly.FromDateTime(until) < todayKst);
}
