namespace CouponDesk.Features.Pipeline;

/// <summary>Delivery item states (spec §4.2).</summary>
public static class ItemStatus
{
    public const string Pending = "PENDING";
    public const string Issuing = "ISSUING";
    public const string IssueFailed = "ISSUE_FAILED";
    public const string Issued = "ISSUED";
    public const string RenderFailed = "RENDER_FAILED";
    public const string Queued = "QUEUED";
    public const string Sent = "SENT";
    public const string SendFailed = "SEND_FAILED";
    public const string Cancelled = "CANCELLED";

    /// <summary>Spec §4.2: drawn but not queued. The pipeline queues in the same step it draws, so no row holds it today.</summary>
    public const string Rendered = "RENDERED";

    /// <summary>Superseded by a new item after 번호변경 (spec D13).</summary>
    public const string Replaced = "REPLACED";

    /// <summary>States from which nothing more happens automatically.</summary>
    public static readonly string[] Final = [IssueFailed, RenderFailed, Sent, SendFailed, Cancelled, Replaced];
}

/// <summary>Issuance order states (spec §4.4). RETRY_WAIT = a failed call waiting to be repeated with the same TR_ID.</summary>
public static class OrderStatus
{
    public const string Planned = "PLANNED";
    public const string Requested = "REQUESTED";
    public const string RetryWait = "RETRY_WAIT";
    public const string Succeeded = "SUCCEEDED";
    public const string Failed = "FAILED";
    public const string InDoubt = "IN_DOUBT";
    public const string SettledNotIssued = "SETTLED_NOT_ISSUED";
    public const string SettledIssued = "SETTLED_ISSUED";
}

/// <summary>Who asked for an issuance order: the campaign's pipeline, or C/S for a 번호변경 replacement (spec D13).</summary>
public static class OrderOrigin
{
    public const string Campaign = "CAMPAIGN";
    public const string CustomerService = "CS";
}
