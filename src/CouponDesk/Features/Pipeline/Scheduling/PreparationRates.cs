using CouponDesk.Data;
using CouponDesk.Features.Campaigns;
using CouponDesk.Features.Campaigns.Scheduling;
using Dapper;

namespace CouponDesk.Features.Pipeline.Scheduling;

/// <summary>
/// Measures and reads the preparation rate R of spec §5.1. A run records, once, when no item waits for a coupon any more
/// (<c>all_issued_at</c>, coupons issued per minute since the start) and when no item waits to be queued
/// (<c>all_queued_at</c>, messages queued per minute since the start — the end-to-end rate). R is the median of the
/// last <see cref="SampleRuns"/> end-to-end rates: one slow or fast run does not swing the lead.
/// </summary>
public sealed class PreparationRates(DbConnectionFactory connections, CampaignOptions options, TimeProvider time) : IPipelineLoad
{
    public const int SampleRuns = 5;

    private static readonly string[] BeforeIssued = [ItemStatus.Pending, ItemStatus.Issuing];
    private static readonly string[] BeforeQueued = [ItemStatus.Pending, ItemStatus.Issuing, ItemStatus.Issued];

    private double lastKnown;

    /// <summary>The rate of the last read (the configured default before any read), for hints that cannot wait for the database.</summary>
    public double LastKnown => Volatile.Read(ref lastKnown) is var r && r > 0 ? r : options.PreparationRatePerMinute;

    /// <summary>R: the median end-to-end rate of the last runs, or the configured default when no run was measured.</summary>
    public async Task<(double RatePerMinute, bool Measured)> CurrentAsync(CancellationToken ct)
    {
        await using var c = await connections.OpenAsync(ct);
        var rates = (await c.QueryAsync<double>(new CommandDefinition(
            """
            SELECT queued_per_minute FROM campaign_runs
            WHERE all_queued_at IS NOT NULL AND queued_per_minute > 0
            ORDER BY all_queued_at DESC LIMIT @n
            """, new { n = SampleRuns }, cancellationToken: ct))).ToList();
        var rate = rates.Count == 0 ? options.PreparationRatePerMinute : Median(rates);
        Volatile.Write(ref lastKnown, rate);
        return (rate, rates.Count > 0);
    }

    double IPipelineLoad.LastKnownRate => LastKnown;

    Task<(double RatePerMinute, bool Measured)> IPipelineLoad.RateAsync(CancellationToken ct) => CurrentAsync(ct);

    public async Task<IReadOnlyList<(long CampaignId, int Items)>> UnqueuedOfRunningAsync(CancellationToken ct)
    {
        await using var c = await connections.OpenAsync(ct);
        return [.. await c.QueryAsync<(long, int)>(new CommandDefinition(
            $"""
            SELECT d.campaign_id, COUNT(*) FROM delivery_items d JOIN campaigns cp ON cp.id = d.campaign_id
            WHERE cp.status IN {CampaignStatus.RunningSql} AND d.status IN @BeforeQueued
            GROUP BY d.campaign_id
            """, new { BeforeQueued }, cancellationToken: ct))];
    }

    public static double Median(IReadOnlyList<double> values)
    {
        var sorted = values.Order().ToArray();
        var mid = sorted.Length / 2;
        return sorted.Length % 2 == 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
    }

    /// <summary>
    /// Marks the run's "all issued" and "all queued" moments once they are reached (idempotent, cheap: two indexed
    /// probes). Called after every render-and-queue batch and from the lifecycle loop.
    /// </summary>
    public async Task RecordAsync(long campaignId, CancellationToken ct)
    {
        var now = time.GetUtcNow().UtcDateTime;
        await using var c = await connections.OpenAsync(ct);
        var run = await c.QuerySingleOrDefaultAsync<(DateTime StartedAt, DateTime? IssuedAt, DateTime? QueuedAt, string? StopCode)?>(new CommandDefinition(
            "SELECT started_at, all_issued_at, all_queued_at, stop_code FROM campaign_runs WHERE campaign_id = @campaignId", new { campaignId }, cancellationToken: ct));
        if (run is not { QueuedAt: null, StopCode: null } r)
        {
            return;
        }

        // Plain (non-locking) reads first, so the probe never holds locks the workers' claims would wait for.
        // One index probe per status (EXISTS), not a DISTINCT that reads every waiting item: this runs after every
        // render batch, and the DISTINCT grew with the campaign (D-PIPE-22).
        var waiting = (await c.QueryAsync<string>(new CommandDefinition(
            """
            SELECT s.status FROM (SELECT @s0 AS status UNION ALL SELECT @s1 UNION ALL SELECT @s2) s
            WHERE EXISTS (SELECT 1 FROM delivery_items d WHERE d.campaign_id = @campaignId AND d.status = s.status)
            """, new { campaignId, s0 = BeforeQueued[0], s1 = BeforeQueued[1], s2 = BeforeQueued[2] }, cancellationToken: ct))).ToHashSet();
        var minutes = Math.Max((now - r.StartedAt).TotalMinutes, 1e-5);
        if (r.IssuedAt is null && !waiting.Overlaps(BeforeIssued))
        {
            var issued = await c.ExecuteScalarAsync<int>(new CommandDefinition(
                "SELECT COUNT(coupon_id) FROM delivery_items WHERE campaign_id = @campaignId", new { campaignId }, cancellationToken: ct));
            await c.ExecuteAsync(new CommandDefinition(
                "UPDATE campaign_runs SET all_issued_at = @now, issued_per_minute = @rate, updated_at = @now WHERE campaign_id = @campaignId AND all_issued_at IS NULL",
                new { campaignId, now, rate = issued > 0 ? issued / minutes : (double?)null }, cancellationToken: ct));
        }

        if (waiting.Count == 0)
        {
            var queued = await c.ExecuteScalarAsync<int>(new CommandDefinition(
                "SELECT COUNT(message_id) FROM delivery_items WHERE campaign_id = @campaignId", new { campaignId }, cancellationToken: ct));
            await c.ExecuteAsync(new CommandDefinition(
                """
                UPDATE campaign_runs SET all_issued_at = COALESCE(all_issued_at, @now), all_queued_at = @now, queued_per_minute = @rate, updated_at = @now
                WHERE campaign_id = @campaignId AND all_queued_at IS NULL
                """, new { campaignId, now, rate = queued > 0 ? queued / minutes : (double?)null }, cancellationToken: ct));
        }
    }

    /// <summary>Records every running campaign whose run is not yet fully queued (the lifecycle loop's sweep).</summary>
    public async Task RecordRunningAsync(CancellationToken ct)
    {
        List<long> open;
        await using (var c = await connections.OpenAsync(ct))
        {
            open = (await c.QueryAsync<long>(new CommandDefinition(
                $"""
                SELECT r.campaign_id FROM campaign_runs r JOIN campaigns cp ON cp.id = r.campaign_id
                WHERE r.all_queued_at IS NULL AND r.stop_code IS NULL AND cp.status IN {CampaignStatus.RunningSql}
                """, cancellationToken: ct))).ToList();
        }

        foreach (var id in open)
        {
            await RecordAsync(id, ct);
        }
    }
}
