namespace CouponDesk.Features.Alerts;

/// <summary>
/// The operations channel: every alert is written to the log at once (<see cref="LoggingOperationsAlerts"/>); when a
/// webhook is configured and the (kind, subject) was not sent within the throttle window, it is also put on a bounded
/// queue the <see cref="AlertWebhookSender"/> posts from. Raising never throws and never waits for the network.
/// </summary>
public sealed class OperationsAlerts(
    LoggingOperationsAlerts log,
    AlertThrottle throttle,
    AlertQueue queue,
    AlertsOptions options,
    ILogger<OperationsAlerts> logger) : IOperationsAlerts
{
    public async Task RaiseAsync(OperationsAlert alert, CancellationToken cancellationToken = default)
    {
        try
        {
            await log.RaiseAsync(alert, cancellationToken);
            if (!options.WebhookConfigured || !throttle.TryPass(alert, out var suppressed))
            {
                return;
            }

            if (!queue.TryEnqueue(new QueuedAlert(alert, suppressed)))
            {
                throttle.Forget(alert);
                logger.LogWarning("Alert {AlertKind} {AlertSubject} not sent to the webhook: the queue is full", alert.Kind, alert.Subject);
            }
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // An alert must never break the work that raised it.
            logger.LogError(ex, "Raising alert {AlertKind} failed", alert.Kind);
        }
    }
}
