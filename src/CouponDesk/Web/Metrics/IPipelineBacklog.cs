namespace CouponDesk.Web.Metrics;

/// <summary>One sample for <see cref="PipelineGauges"/>: items of running campaigns per stage, and open in-doubt orders.</summary>
public sealed record PipelineBacklogSample(IReadOnlyDictionary<string, long> ItemsPerStage, long OpenInDoubt);

/// <summary>
/// What the pipeline gauges read, implemented by the pipeline (<c>Features/Pipeline</c>), which owns those tables and
/// their status values; <c>Web</c> stays below the features it measures.
/// </summary>
public interface IPipelineBacklog
{
    /// <summary>The item stages the backlog gauge reports, each with a value (0 until sampled).</summary>
    IReadOnlyList<string> Stages { get; }

    Task<PipelineBacklogSample> SampleAsync(CancellationToken ct);
}
