using CouponDesk.Data;

namespace CouponDesk.Features.CustomerService;

/// <summary>Worker role: finishes 번호변경 replacements the request could not (<see cref="CsReissue.StepAsync"/>).</summary>
public sealed class CsFollowUpWorker(CsReissue reissue, CsOptions options, DatabaseOutage outage, ILogger<CsFollowUpWorker> logger)
    : PollingWorker(outage, logger)
{
    protected override TimeSpan PollInterval => TimeSpan.FromSeconds(options.FollowUpPollSeconds);

    protected override string PassName => "C/S follow-up";

    protected override Task<int> StepAsync(CancellationToken cancellationToken) => reissue.StepAsync(cancellationToken);
}
