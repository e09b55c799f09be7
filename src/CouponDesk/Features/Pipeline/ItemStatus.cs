using CouponDesk.Data.States;

namespace CouponDesk.Features.Pipeline;

/// <summary>
/// Delivery item states (수신 건: one recipient × one coupon) and their allowed transitions (spec §4.2; a copy of its table
/// is in docs/rules/state-machines.md). The one place these values are spelled; every status change is written by
/// <see cref="DeliveryItemTransitions"/>. RENDERED is part of the machine but not written: drawing and queueing are one
/// step (D6q). C/S writes spec D9/D10 (재발송), spec D12 (쿠폰폐기), spec D13 (번호변경 after delivery) and spec D14 (before).
/// </summary>
public static class ItemStatus
{
    public const string Pending = "PENDING";
    public const string Issuing = "ISSUING";
    public const string IssueFailed = "ISSUE_FAILED";
    public const string Issued = "ISSUED";
    public const string RenderFailed = "RENDER_FAILED";
    public const string Rendered = "RENDERED";
    public const string Queued = "QUEUED";
    public const string Sent = "SENT";
    public const string SendFailed = "SEND_FAILED";
    public const string Cancelled = "CANCELLED";
    public const string Replaced = "REPLACED";

    /// <summary>States from which nothing more happens automatically (REPLACED: its replacement carries on, spec C14).</summary>
    public static readonly string[] Final = [IssueFailed, RenderFailed, Sent, SendFailed, Cancelled, Replaced];

    /// <summary>Not handed to the agent yet (spec D12 "PENDING … QUEUED"; a QUEUED item only while its message is still ready).</summary>
    public static readonly string[] Unsent = [Pending, Issuing, Issued, Rendered, Queued];

    /// <summary>Counted as failures of a campaign (C14).</summary>
    public static readonly string[] Failures = [IssueFailed, RenderFailed, SendFailed];

    public static StateMachine Machine { get; } = new("delivery item",
        [Pending, Issuing, IssueFailed, Issued, RenderFailed, Rendered, Queued, Sent, SendFailed, Cancelled, Replaced],
        [
            new("D1", StateMachine.New, Pending),
            new("D2", Pending, Issuing),
            new("D3", Issuing, Issued),
            new("D4", Issuing, Issuing),
            new("D5", Issuing, IssueFailed),
            new("D6", [Issued], [Rendered, RenderFailed]),
            new("D7", Rendered, Queued),
            new("D8", [Queued], [Sent, SendFailed]),
            new("D9", SendFailed, Queued),
            new("D10", Sent, Queued),
            new("D11", IssueFailed, Issuing),
            new("D11", RenderFailed, Issued),
            new("D12", Unsent, [Cancelled]),
            new("D13", [Sent, SendFailed], [Replaced]),
            new("D14", Unsent, [StateMachine.Same]),
            new("D4p", Issuing, Pending,
                "spec D4 as the planner does it: an item whose order was in doubt, failed for a reason a person must fix, or was never called because the campaign stopped goes back to PENDING; spec D2 then puts it in a new order with a fresh TR_ID"),
            new("D6q", Issued, Queued,
                "spec D6 and D7 in one step: the coupon is drawn and staged, then queued in the render step's transaction, so RENDERED is never stored"),
            new("D7w", Queued, Issued,
                "C7 pause: a message withdrawn while still ready sends its item back to be queued again, with a new CLIENT_KEY, on resume"),
            new("D8a", SendFailed, SendFailed,
                "the automatic-resend planner runs in spec D8's result transaction and may find the item already SEND_FAILED; it sets the failure again with the resend due"),
            new("D11p", IssueFailed, Pending,
                "spec D11 as the code does it: the item goes back to PENDING and D2 puts it in a new order"),
        ]);
}
