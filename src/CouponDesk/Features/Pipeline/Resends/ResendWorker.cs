using CouponDesk.Data;

namespace CouponDesk.Features.Pipeline.Resends;

/// <summary>
/// Queues due resends every <see cref="ResendOptions.PollSeconds"/> (spec §5.8 "Automatic resend": every minute) in
/// worker processes. Any number of workers may run it: <see cref="Resender"/> claims with <c>SKIP LOCKED</c>.
/// </summary>
public sealed class ResendWorker(Resender resender, ResendOptions options, DatabaseOutage outage, ILogger<ResendWorker> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                while (await resender.StepAsync(stoppingToken) > 0)
                {
                }

                outage.Succeeded();
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
                logger.LogError(ex, "Resend pass failed; retrying at the next poll");
            }

            try
            {
                await Task.Delay(TimeSpan.FromSeconds(options.PollSeconds), stoppingToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }
}
