using System.Threading.Channels;

namespace CouponDesk.Features.Alerts;

/// <summary>One alert waiting for the webhook, with the number of repeats the throttle held back before it.</summary>
public sealed record QueuedAlert(OperationsAlert Alert, int Suppressed);

/// <summary>The bounded hand-over between <see cref="OperationsAlerts"/> (any thread, never waits) and <see cref="AlertWebhookSender"/>.</summary>
public sealed class AlertQueue(AlertsOptions options)
{
    private readonly Channel<QueuedAlert> channel = Channel.CreateBounded<QueuedAlert>(new BoundedChannelOptions(options.QueueCapacity)
    {
        FullMode = BoundedChannelFullMode.Wait, // with TryWrite: a full queue refuses instead of dropping silently
        SingleReader = true,
    });

    /// <summary>False when the queue is full (the webhook is down or slow): the caller logs that the alert was not sent.</summary>
    public bool TryEnqueue(QueuedAlert alert) => channel.Writer.TryWrite(alert);

    public ChannelReader<QueuedAlert> Reader => channel.Reader;
}
