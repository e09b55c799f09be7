namespace CouponDesk.Web.Metrics;

/// <summary>
/// Samples the database every 15 s for the gauges (a scrape never waits on a query): items of running campaigns per
/// stage and open in-doubt orders, read through <see cref="IPipelineBacklog"/>. Runs where <c>/metrics</c> is served
/// (role web). A failed sample keeps the last values.
/// </summary>
public sealed class PipelineGauges(IPipelineBacklog source, ILogger<PipelineGauges> logger) : BackgroundService
{
    public static readonly TimeSpan Interval = TimeSpan.FromSeconds(15);

    public IReadOnlyDictionary<string, long> Backlog { get; private set; } = source.Stages.ToDictionary(s => s, _ => 0L);

    public long OpenInDoubt { get; private set; }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(Interval);
        do
        {
            try
            {
                await SampleAsync(stoppingToken);
            }
            catch (Exception ex) when (!stoppingToken.IsCancellationRequested)
            {
                logger.LogDebug(ex, "Pipeline gauges not sampled");
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }

    public async Task SampleAsync(CancellationToken ct)
    {
        var sample = await source.SampleAsync(ct);
        var backlog = source.Stages.ToDictionary(s => s, _ => 0L);
        foreach (var (status, count) in sample.ItemsPerStage)
        {
            backlog[status] = count;
        }

        Backlog = backlog;
        OpenInDoubt = sample.OpenInDoubt;
    }
}
