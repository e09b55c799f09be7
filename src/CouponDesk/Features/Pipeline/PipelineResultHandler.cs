using CouponDesk.Features.Messages;
using Dapper;
using MySqlConnector;

namespace CouponDesk.Features.Pipeline;

/// <summary>
/// D8: moves a delivery item to SENT or SEND_FAILED when its <b>current</b> message gets its result (a result of an
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
            await connection.ExecuteAsync(new CommandDefinition(
                "UPDATE delivery_items SET status = 'SENT', ever_delivered = 1, failure_code = NULL, failure_reason = NULL, updated_at = @now WHERE message_id IN @sent AND status = 'QUEUED'",
                new { sent, now }, transaction, cancellationToken: cancellationToken));
        }

        foreach (var failed in results.Where(r => r is { CampaignId: not null, RecipientId: not null } && r.Outcome != DeliveryOutcome.Success))
        {
            var reason = failed.Outcome == DeliveryOutcome.ResultTimeout ? "결과 미수신" : failed.DoneCodeDescription ?? "발송 실패";
            await connection.ExecuteAsync(new CommandDefinition(
                "UPDATE delivery_items SET status = 'SEND_FAILED', failure_code = @code, failure_reason = @reason, updated_at = @now WHERE message_id = @id AND status = 'QUEUED'",
                new { id = failed.MessageId, code = failed.DoneCode ?? "TIMEOUT", reason = reason.Length > 200 ? reason[..200] : reason, now }, transaction, cancellationToken: cancellationToken));
        }
    }
}
