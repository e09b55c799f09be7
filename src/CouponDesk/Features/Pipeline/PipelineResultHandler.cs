using CouponDesk.Features.Messages;
using CouponDesk.Shared.Text;
using MySqlConnector;

namespace CouponDesk.Features.Pipeline;

/// <summary>
/// spec D8: moves a delivery item to SENT or SEND_FAILED when its <b>current</b> message gets its result (a result of an
/// older, superseded message changes nothing). Runs in the result sync's transaction, so a result is applied once.
/// Pipeline messages carry the delivery item id as their recipient id. The campaign is finished by
/// <see cref="CampaignLifecycle"/> once every item is final.
/// </summary>
public sealed class PipelineResultHandler(TimeProvider time) : IDeliveryResultHandler
{
    public async Task HandleAsync(IReadOnlyList<DeliveryResult> results, MySqlConnection connection, MySqlTransaction transaction, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow().UtcDateTime;
        var sent = results.Where(r => r is { CampaignId: not null, RecipientId: not null, Outcome: DeliveryOutcome.Success }).Select(r => r.MessageId).ToArray();
        if (sent.Length > 0)
        {
            await DeliveryItemTransitions.SentAsync(connection, transaction, sent, now, cancellationToken);
        }

        foreach (var failed in results.Where(r => r is { CampaignId: not null, RecipientId: not null } && r.Outcome != DeliveryOutcome.Success))
        {
            var reason = failed.Outcome == DeliveryOutcome.ResultTimeout ? "결과 미수신" : failed.DoneCodeDescription ?? "발송 실패";
            await DeliveryItemTransitions.SendFailedAsync(connection, transaction, failed.MessageId, failed.DoneCode ?? "TIMEOUT", reason.Truncate(200), now, cancellationToken);
        }
    }
}
