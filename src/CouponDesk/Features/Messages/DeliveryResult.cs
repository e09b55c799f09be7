using MySqlConnector;

namespace CouponDesk.Features.Messages;

/// <summary>
/// A message's final result as the result sync stored it. <see cref="Outcome"/> comes from the code table:
/// only <c>10000</c> is success; resend-recommended codes are failures the pipeline may resend with a new message.
/// </summary>
public sealed record DeliveryResult(
    long MessageId,
    string ClientKey,
    long? CampaignId,
    long? RecipientId,
    long? CouponId,
    int AttemptNo,
    string Status,
    DeliveryOutcome Outcome,
    string? DoneCode,
    string? DoneCodeDescription,
    DateTime? SentAtUtc,
    DateTime? DoneAtUtc,
    string? Telco);

public enum DeliveryOutcome
{
    Success,
    Failure,
    ResendRecommended,

    /// <summary>No result 24 h after REQ_DATE: shown as a failure "결과 미수신", never resent automatically (may have been delivered).</summary>
    ResultTimeout,
}

/// <summary>
/// Reacts to final results in the same transaction as the result sync's update (e.g. the pipeline moves delivery items
/// to SENT / SEND_FAILED and plans automatic resends). Register any number with <c>services.AddSingleton&lt;IDeliveryResultHandler, T&gt;()</c>.
/// An exception rolls the whole batch back; the next run sees the same results again, so a handler must be idempotent
/// only with respect to its own earlier failed attempts — each result is committed exactly once.
/// </summary>
public interface IDeliveryResultHandler
{
    Task HandleAsync(IReadOnlyList<DeliveryResult> results, MySqlConnection connection, MySqlTransaction transaction, CancellationToken cancellationToken);
}
