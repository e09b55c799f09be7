namespace CouponDesk.Data;

/// <summary>
/// A worker-role loop that drains a database queue every poll: steps while a step did work, then waits. An outage is
/// reported once through <see cref="DatabaseOutage"/> (not one error per loop per poll); any other failure is logged and
/// retried at the next poll.
/// </summary>
public abstract class PollingWorker(DatabaseOutage outage, ILogger logger) : BackgroundService
{
    /// <summary>One unit of work; returns how many rows it handled (0 = nothing due, wait for the next poll).</summary>
    protected abstract Task<int> StepAsync(CancellationToken cancellationToken);

    protected abstract TimeSpan PollInterval { get; }

    /// <summary>What the loop does, for the log line of a failed pass (e.g. "Resend").</summary>
    protected abstract string PassName { get; }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            var started = outage.PassStarted();
            try
            {
                while (await StepAsync(stoppingToken) > 0)
                {
                }

                outage.Succeeded(started);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex) when (DatabaseOutage.IsOutage(ex))
            {
                outage.Failed(ex);
            }
            catch (Exception ex)
            {
                logger.LogError(ex, "{Pass} pass failed; retrying at the next poll", PassName);
            }

            try
            {
                await Task.Delay(PollInterval, stoppingToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }
}
