using CouponDesk.Data;
using Dapper;

namespace CouponDesk.Features.Campaigns.Scheduling;

/// <summary>
/// The one place the start lead is computed (spec §5.1), used by registration (earliest allowed send time, the start
/// time stored on submit) and by the starter (which moves a start earlier when the queue or the rate changed), so the
/// two always agree. The queue ahead: other scheduled campaigns whose preparation window overlaps this one's, and the
/// items running campaigns have not queued yet. R and the running campaigns' load come from the pipeline through
/// <see cref="IPipelineLoad"/> (registration must not depend on the pipeline's folder).
/// </summary>
public sealed class StartLeadCalculator(DbConnectionFactory connections, IPipelineLoad pipeline, CampaignOptions options, TimeProvider time)
{
    private TimeSpan Minimum => TimeSpan.FromMinutes(options.MinLeadMinutes);

    /// <summary>Without the database: the last known rate and no queue. Only for hints; checks use <see cref="LoadAsync"/>.</summary>
    public TimeSpan Estimate(int items) => StartLead.Compute(items, pipeline.LastKnownRate, Minimum);

    /// <summary>Reads R and the campaigns that may share the pipeline (a handful of rows), once per decision.</summary>
    public async Task<LeadInputs> LoadAsync(CancellationToken ct)
    {
        var (rate, measured) = await pipeline.RateAsync(ct);
        var now = time.GetUtcNow().UtcDateTime;
        await using var c = await connections.OpenAsync(ct);
        var scheduled = await c.QueryAsync<(long Id, DateTime From, DateTime To, int Items)>(new CommandDefinition(
            $"""
            SELECT id, COALESCE(start_at, scheduled_at), scheduled_at, recipient_count FROM campaigns
            WHERE status = '{CampaignStatus.Scheduled}' AND deleted_at IS NULL AND scheduled_at IS NOT NULL
            """, cancellationToken: ct));
        var running = await pipeline.UnqueuedOfRunningAsync(ct);
        // A running campaign keeps the pipeline busy from now until its remaining items are through at rate R.
        var windows = scheduled.Select(s => new PreparationWindow(s.Id, s.From, s.To, s.Items))
            .Concat(running.Select(r => new PreparationWindow(r.CampaignId, now, now.AddMinutes(r.Items / rate), r.Items)))
            .ToList();
        return new LeadInputs(rate, measured, Minimum, now, windows);
    }

    /// <summary>The lead of a campaign of <paramref name="items"/> sending at <paramref name="sendAtUtc"/>.</summary>
    public async Task<StartLead> ForAsync(int items, DateTime sendAtUtc, long? campaignId, CancellationToken ct) =>
        (await LoadAsync(ct)).For(items, sendAtUtc, campaignId);

    /// <summary>The earliest allowed send time (UTC, next whole minute) for a new campaign of <paramref name="items"/>.</summary>
    public async Task<(DateTime EarliestUtc, StartLead Lead)> EarliestAsync(int items, CancellationToken ct) =>
        (await LoadAsync(ct)).Earliest(items);
}

/// <summary>When another campaign occupies the pipeline, and with how many items.</summary>
public sealed record PreparationWindow(long CampaignId, DateTime FromUtc, DateTime ToUtc, int Items);

/// <summary>A snapshot of R and the queue; the lead arithmetic on it is pure, so tests can check it exactly.</summary>
public sealed record LeadInputs(double RatePerMinute, bool Measured, TimeSpan Minimum, DateTime NowUtc, IReadOnlyList<PreparationWindow> Others)
{
    private const int MaxRounds = 10;

    /// <summary>
    /// Fixed point: a longer lead starts earlier and so overlaps more campaigns, which lengthens the lead. It only grows,
    /// and there are finitely many campaigns, so a few rounds settle it.
    /// </summary>
    public StartLead For(int items, DateTime sendAtUtc, long? campaignId)
    {
        var lead = StartLead.Compute(items, RatePerMinute, Minimum);
        var ahead = 0;
        for (var round = 0; round < MaxRounds; round++)
        {
            var start = sendAtUtc - lead;
            ahead = Others.Where(o => o.CampaignId != campaignId && o.FromUtc < sendAtUtc && o.ToUtc > start).Sum(o => o.Items);
            var next = StartLead.Compute(items + ahead, RatePerMinute, Minimum);
            if (next <= lead)
            {
                break;
            }

            lead = next;
        }

        return new StartLead(lead, items, ahead, RatePerMinute, Measured);
    }

    public (DateTime EarliestUtc, StartLead Lead) Earliest(int items)
    {
        var lead = For(items, NowUtc + StartLead.Compute(items, RatePerMinute, Minimum), null);
        for (var round = 0; round < MaxRounds; round++)
        {
            var next = For(items, NowUtc + lead.Lead, null);
            if (next.Lead <= lead.Lead)
            {
                break;
            }

            lead = next;
        }

        var earliest = NowUtc + lead.Lead;
        var rounded = new DateTime(earliest.Ticks - (earliest.Ticks % TimeSpan.TicksPerMinute), DateTimeKind.Utc);
        return (rounded < earliest ? rounded.AddMinutes(1) : rounded, lead);
    }
}
