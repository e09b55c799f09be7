using CouponDesk.Data;
using CouponDesk.Features.Campaigns;
using CouponDesk.Web.Metrics;
using Dapper;

namespace CouponDesk.Features.Pipeline;

/// <summary>The pipeline's answer to the metrics gauges (<see cref="IPipelineBacklog"/>): plain reads, no locks.</summary>
public sealed class PipelineBacklog(DbConnectionFactory connections) : IPipelineBacklog
{
    private static readonly string[] StageList = [ItemStatus.Pending, ItemStatus.Issuing, ItemStatus.Issued, ItemStatus.Queued];

    public IReadOnlyList<string> Stages => StageList;

    public async Task<PipelineBacklogSample> SampleAsync(CancellationToken ct)
    {
        await using var c = await connections.OpenAsync(ct);
        var rows = await c.QueryAsync<(string Status, long Count)>(new CommandDefinition(
            $"""
            SELECT d.status, COUNT(*) FROM delivery_items d JOIN campaigns k ON k.id = d.campaign_id
            WHERE k.status IN {CampaignStatus.RunningSql} AND d.status IN @Stages GROUP BY d.status
            """, new { Stages = StageList }, cancellationToken: ct));
        var perStage = rows.ToDictionary(r => r.Status, r => r.Count);
        var openInDoubt = await c.ExecuteScalarAsync<long>(new CommandDefinition(
            $"SELECT COUNT(*) FROM issuance_orders WHERE status = '{OrderStatus.InDoubt}'", cancellationToken: ct));
        return new PipelineBacklogSample(perStage, openInDoubt);
    }
}
