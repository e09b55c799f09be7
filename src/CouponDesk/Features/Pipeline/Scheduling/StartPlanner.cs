using CouponDesk.Data;
using CouponDesk.Features.Campaigns;
using CouponDesk.Features.Campaigns.Scheduling;
using Dapper;

namespace CouponDesk.Features.Pipeline.Scheduling;

/// <summary>
/// Keeps the start times of scheduled campaigns right as R and the queue change (spec §5.1: "computed again at every
/// change of N or R"). A start only ever moves earlier: starting early costs nothing (messages are reservations for the
/// send time), while a start moved later on a briefly better figure could make the campaign late (D-PIPE-16).
/// </summary>
public sealed class StartPlanner(DbConnectionFactory connections, StartLeadCalculator leads, PipelineOptions options, TimeProvider time, ILogger<StartPlanner> logger)
{
    private DateTime nextRunUtc = DateTime.MinValue;

    /// <summary>Re-plans at most every <see cref="PipelineOptions.StartReplanSeconds"/>; returns the starts moved.</summary>
    public async Task<int> ReplanIfDueAsync(CancellationToken ct)
    {
        var now = time.GetUtcNow().UtcDateTime;
        if (now < nextRunUtc)
        {
            return 0;
        }

        nextRunUtc = now.AddSeconds(options.StartReplanSeconds);
        return await ReplanAsync(ct);
    }

    public async Task<int> ReplanAsync(CancellationToken ct)
    {
        var inputs = await leads.LoadAsync(ct);
        var now = inputs.NowUtc;
        await using var c = await connections.OpenAsync(ct);
        var waiting = await c.QueryAsync<(long Id, DateTime SendAt, DateTime StartAt, int Items)>(new CommandDefinition(
            $"""
            SELECT id, scheduled_at, start_at, recipient_count FROM campaigns
            WHERE status = '{CampaignStatus.Scheduled}' AND deleted_at IS NULL AND scheduled_at IS NOT NULL AND start_at > @now
            """, new { now }, cancellationToken: ct));
        var moved = 0;
        foreach (var w in waiting)
        {
            var lead = inputs.For(w.Items, w.SendAt, w.Id);
            var start = w.SendAt - lead.Lead;
            start = start < now ? now : start;
            if (start >= w.StartAt)
            {
                continue;
            }

            moved += await c.ExecuteAsync(new CommandDefinition(
                $"UPDATE campaigns SET start_at = @start, updated_at = @now WHERE id = @id AND status = '{CampaignStatus.Scheduled}' AND start_at > @start",
                new { id = w.Id, start, now }, cancellationToken: ct));
            logger.LogInformation(
                "Campaign {CampaignId} start moved earlier to {StartAt:o}: lead {LeadMinutes:F0} min for {Items} + {Ahead} items at {Rate:F0}/min ({Source})",
                w.Id, start, lead.Lead.TotalMinutes, lead.OwnItems, lead.QueueAheadItems, lead.RatePerMinute, lead.Measured ? "measured" : "default");
        }

        return moved;
    }
}
