using CouponDesk.Features.Alerts;

namespace CouponDesk.TestSupport;

/// <summary>An <see cref="IOperationsAlerts"/> that keeps what was raised, for tests that assert on alerts.</summary>
public sealed class RecordingAlerts : IOperationsAlerts
{
    private readonly List<OperationsAlert> raised = [];

    /// <summary>A snapshot of the alerts raised so far, oldest first (workers may raise while a test reads).</summary>
    public IReadOnlyList<OperationsAlert> Raised
    {
        get
        {
            lock (raised)
            {
                return [.. raised];
            }
        }
    }

    public Task RaiseAsync(OperationsAlert alert, CancellationToken cancellationToken = default)
    {
        lock (raised)
        {
            raised.Add(alert);
        }

        return Task.CompletedTask;
    }
}
