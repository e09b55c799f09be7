using CouponDesk.Data;

namespace CouponDesk.Features.Pipeline.Resends;

/// <summary>
/// Queues due resends every <see cref="ResendOptions.PollSeconds"/> (spec §5.8 "Automatic resend": every minute) in
/// worker processes. Any number of workers may run it: <see cref="Resender"/> claims with <c>SKIP LOCKED</c>.
/// </summary>
public sealed class ResendWorker(Resender resender, ResendOptions options, DatabaseOutage outage, ILogger<ResendWorker> logger)
    : PollingWorker(outage, logger)
{
    protected override TimeSpan PollInterval => TimeSpan.FromSeconds(options.PollSeconds);

    protected override string PassName => "Resend";

    protected override Task<int> StepAsync(CancellationToken cancellationToken) => resender.StepAsync(cancellationToken);
}
