using CouponDesk.Data;
using Dapper;

namespace CouponDesk.Web.Metrics;

/// <summary>
/// Samples the database every 15 s for the gauges (a scrape never waits on a query): items of running campaigns per
/// stage and open in-doubt orders. Runs where <c>/metrics</c> is served (role web). A failed sample keeps the last values.
/// </summary>
public sealed class PipelineGauges(DbConnectionFactory connections, ILogger<PipelineGauges> logger) : BackgroundService
{
    public static readonly TimeSpan Interval = TimeSpan.FromSeconds(15);

    private static readonly string[] Stages = ["PENDING", "ISSUING", "ISSUED", "QUEUED"];

    public IReadOnlyDictionary<string, long> Backlog { get; private set; } = Stages.ToDictionary(s => s, _ => 0L);

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
        await using var c = await connections.OpenAsync(ct);
        var rows = await c.QueryAsync<(string Status, long Count)>(new CommandDefinition(
            """
            SELECT d.status, COUNT(*) FROM delivery_items d JOIN campaigns k ON k.id = d.campaign_id
            WHERE k.status IN ('ISSUING', 'SENDING') AND d.status IN @Stages GROUP BY d.status
            """, new { Stages }, cancellationToken: ct));
        var backlog = Stages.ToDictionary(s => s, _ => 0L);
        foreach (var (status, count) in rows)
        {
            backlog[status] = count;
        }

        Backlog = backlog;
        OpenInDoubt = await c.ExecuteScalarAsync<long>(new CommandDefinition("SELECT COUNT(*) FROM issuance_orders WHERE status = 'IN_DOUBT'", cancellationToken: ct));
    }
}
