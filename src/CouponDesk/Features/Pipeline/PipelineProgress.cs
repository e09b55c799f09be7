using CouponDesk.Data;
using CouponDesk.Features.Campaigns;
using CouponDesk.Features.Pipeline.OrderSize;
using CouponDesk.Features.Pipeline.Scheduling;
using Dapper;

namespace CouponDesk.Features.Pipeline;

public sealed record FailureReason(string? Code, string? Reason, long Count);

/// <summary>Something about a running campaign a person should look at (stable English <c>Code</c>, Korean <c>Message</c>).</summary>
public sealed record ProgressWarning(string Code, string Message);

/// <summary>A campaign's progress (spec §3.3.3, issue 8 "Observable"): counts per item state, throughput, ETA, top failure reasons.</summary>
public sealed record CampaignProgress(
    long CampaignId,
    string Status,
    string StatusLabel,
    int Total,
    IReadOnlyDictionary<string, int> Items,
    int Prepared,
    double QueuedPerMinute,
    int? EtaSeconds,
    DateTime? StartedAt,
    DateTime? AllQueuedAt,
    DateTime? FinishedAt,
    string? StopCode,
    string? StopReason,
    int InDoubtOrders,
    IReadOnlyList<FailureReason> TopFailures,
    IReadOnlyList<ProgressWarning> Warnings,
    OrderSizeState OrderSize);

public sealed class PipelineProgress(DbConnectionFactory connections, LateCampaigns late, OrderSizeRule orderSize, TimeProvider time)
{
    private static readonly string[] Prepared = [ItemStatus.Queued, ItemStatus.Sent, ItemStatus.SendFailed];

    public async Task<CampaignProgress?> GetAsync(long id, CancellationToken ct)
    {
        await using var c = await connections.OpenAsync(ct);
        var campaign = await c.QuerySingleOrDefaultAsync<(string Status, DateTime? SendAt)?>(new CommandDefinition(
            "SELECT status, scheduled_at FROM campaigns WHERE id = @id AND deleted_at IS NULL", new { id }, cancellationToken: ct));
        if (campaign is not { Status: var status, SendAt: var sendAt })
        {
            return null;
        }

        var counts = (await c.QueryAsync<(string Status, int Count)>(new CommandDefinition(
            "SELECT status, COUNT(*) FROM delivery_items WHERE campaign_id = @id GROUP BY status", new { id }, cancellationToken: ct))).ToDictionary(x => x.Status, x => x.Count);
        var run = await c.QuerySingleOrDefaultAsync<(DateTime StartedAt, DateTime? AllQueuedAt, DateTime? FinishedAt, string? StopCode, string? StopReason)?>(new CommandDefinition(
            "SELECT started_at, all_queued_at, finished_at, stop_code, stop_reason FROM campaign_runs WHERE campaign_id = @id", new { id }, cancellationToken: ct));
        var inDoubt = await c.ExecuteScalarAsync<int>(new CommandDefinition($"SELECT COUNT(*) FROM issuance_orders WHERE campaign_id = @id AND status = '{OrderStatus.InDoubt}'", new { id }, cancellationToken: ct));
        var failures = (await c.QueryAsync<FailureReason>(new CommandDefinition(
            $"""
            SELECT failure_code AS Code, failure_reason AS Reason, COUNT(*) AS Count FROM delivery_items
            WHERE campaign_id = @id AND status IN ('{ItemStatus.IssueFailed}', '{ItemStatus.RenderFailed}', '{ItemStatus.SendFailed}')
            GROUP BY failure_code, failure_reason ORDER BY COUNT(*) DESC LIMIT 5
            """, new { id }, cancellationToken: ct))).ToList();
        var total = counts.Values.Sum();
        var prepared = Prepared.Sum(s => counts.GetValueOrDefault(s));
        var started = run?.StartedAt;
        var minutes = started is { } s0 ? Math.Max((time.GetUtcNow().UtcDateTime - s0).TotalMinutes, 1e-3) : 0;
        var rate = minutes > 0 ? prepared / minutes : 0;
        var remaining = total - prepared - counts.GetValueOrDefault(ItemStatus.IssueFailed) - counts.GetValueOrDefault(ItemStatus.RenderFailed) - counts.GetValueOrDefault(ItemStatus.Cancelled);
        int? eta = remaining <= 0 ? 0 : rate > 0 ? (int)Math.Ceiling(remaining / rate * 60) : null;
        // Spec §5.1: still missing some minutes after the send time (the alert goes out from LateCampaignsJob).
        var lateWarning = late.Warning(status, sendAt, LateCampaigns.NotQueued.Sum(s => counts.GetValueOrDefault(s)));
        ProgressWarning[] warnings = lateWarning is null ? [] : [lateWarning];
        return new CampaignProgress(id, status, CampaignStatus.Label(status), total, counts, prepared, Math.Round(rate, 1), eta,
            started, run?.AllQueuedAt, run?.FinishedAt, run?.StopCode, run?.StopReason, inDoubt, failures, warnings,
            await orderSize.ReadAsync(c, ct)); // the supplier-wide rule of D-PIPE-30: coupons per create call now, and why
    }
}
