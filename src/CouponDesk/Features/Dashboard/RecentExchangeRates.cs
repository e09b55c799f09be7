using CouponDesk.Features.CampaignDetail;
using CouponDesk.Features.Campaigns;
using Dapper;
using MySqlConnector;

namespace CouponDesk.Features.Dashboard;

/// <summary>One recent campaign's 교환률: used ÷ delivered now, and the cumulative rate by KST day (as on its detail page).</summary>
public sealed record CampaignExchangeRate(long Id, string ClientName, string EventName, DateTime? ScheduledAt, int Delivered, int Used, double? Rate, IReadOnlyList<ExchangeRatePoint> Days);

/// <summary>The dashboard's 교환률 panel: the most recent sent campaigns within <see cref="RecentExchangeRates.WindowDays"/>.</summary>
public sealed record ExchangeRates(int WindowDays, IReadOnlyList<CampaignExchangeRate> Campaigns);

/// <summary>
/// 교환률 per campaign on the dashboard (issue 17 point 9). Bounded so it stays cheap at a year of data (D-PERF-1,
/// D-DASH-5): the <see cref="Limit"/> most recent campaigns that reached sending, found on <c>(status, scheduled_at)</c>,
/// each read on its own items only and kept per process by <see cref="ExchangeRateCache"/> (the campaign page's cache) —
/// the page refreshes every 30 s in every open tab.
/// </summary>
public sealed class RecentExchangeRates(ExchangeRateCache cache, TimeProvider time)
{
    public const int Limit = 5;

    public const int WindowDays = 60;

    // Campaigns that handed messages to the agent; drafts, scheduled and still-issuing ones have nothing delivered yet.
    private static readonly string[] SentStates =
    [
        CampaignStatus.Sending, CampaignStatus.Paused, CampaignStatus.Error, CampaignStatus.Cancelling, CampaignStatus.Cancelled,
        CampaignStatus.Completed, CampaignStatus.PartiallyFailed, CampaignStatus.Failed,
    ];

    public async Task<ExchangeRates> ReadAsync(MySqlConnection c, CancellationToken ct)
    {
        var now = time.GetUtcNow().UtcDateTime;
        var campaigns = await c.QueryAsync<(long Id, string ClientName, string EventName, DateTime? ScheduledAt)>(new CommandDefinition(
            $"""
            SELECT id, client_name, event_name, scheduled_at FROM campaigns
            WHERE status IN @SentStates AND scheduled_at >= @since AND scheduled_at <= @now AND deleted_at IS NULL
            ORDER BY scheduled_at DESC, id DESC LIMIT {Limit}
            """, new { SentStates, since = now.AddDays(-WindowDays), now }, cancellationToken: ct));
        var rates = new List<CampaignExchangeRate>();
        foreach (var (id, client, eventName, at) in campaigns)
        {
            var view = await cache.ReadAsync(id, ct);
            rates.Add(new CampaignExchangeRate(id, client, eventName, at, view.Delivered, view.Used, view.Rate, view.Days));
        }

        return new ExchangeRates(WindowDays, rates);
    }
}
