namespace CouponDesk.Features.Messages;

/// <summary>A message's state (spec §4.5). READY and IN_AGENT are pending; the rest are final.</summary>
public static class MessageStatus
{
    public const string Ready = "READY";
    public const string InAgent = "IN_AGENT";
    public const string Withdrawn = "WITHDRAWN";
    public const string Success = "SUCCESS";
    public const string Failure = "FAILURE";
    public const string ResultTimeout = "RESULT_TIMEOUT";
}

/// <summary>Why a message was sent (spec §4.5).</summary>
public static class MessageType
{
    public const string Initial = "INITIAL";
    public const string AutoRetry = "AUTO_RETRY";
    public const string BulkRetry = "BULK_RETRY";
    public const string CsResend = "CS_RESEND";
    public const string AfterPhoneChange = "AFTER_PHONE_CHANGE";

    public static readonly IReadOnlySet<string> All = new HashSet<string>(StringComparer.Ordinal)
    {
        Initial, AutoRetry, BulkRetry, CsResend, AfterPhoneChange,
    };
}
