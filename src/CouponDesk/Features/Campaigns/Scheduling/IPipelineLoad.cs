namespace CouponDesk.Features.Campaigns.Scheduling;

/// <summary>
/// What the start lead needs from the pipeline (spec §5.1): the measured preparation rate R and the items running
/// campaigns have not queued yet. Implemented by the pipeline's <c>PreparationRates</c>; declared here so registration
/// depends on no pipeline type (docs/architecture.md, dependency rule).
/// </summary>
public interface IPipelineLoad
{
    /// <summary>The rate of the last read (the configured default before any read), for hints that cannot wait for the database.</summary>
    double LastKnownRate { get; }

    /// <summary>R: the median end-to-end rate of the last runs, or the configured default when no run was measured.</summary>
    Task<(double RatePerMinute, bool Measured)> RateAsync(CancellationToken ct);

    /// <summary>Per running campaign, its items not queued yet.</summary>
    Task<IReadOnlyList<(long CampaignId, int Items)>> UnqueuedOfRunningAsync(CancellationToken ct);
}
