using CouponDesk.Data;
using CouponDesk.Features.Campaigns;
using CouponDesk.Features.Coupons;
using CouponDesk.Features.Messages;
using CouponDesk.Integrations.Snap;
using CouponDesk.Shared.Snap;
using Dapper;

namespace CouponDesk.Features.Pipeline.Cancels;

/// <summary>
/// What a cancel would affect if made now (the 취소 dialog, issue 24): <c>Unsent</c> items would be cancelled (of which
/// <c>Coupons</c> hold a bought, unused coupon to cancel at COUFUN), <c>TakenByAgent</c> are with the agent and would go
/// on, <c>AlreadyFinished</c> have their result. A plain read — the cancel itself decides under its locks, so the answer
/// may differ by what the agent takes meanwhile. <c>Cancellable</c>: a cancel would be accepted.
/// </summary>
public sealed record CancelPreviewResult(long CampaignId, string Status, bool Cancellable, int Unsent, int Coupons, int TakenByAgent, int AlreadyFinished);

public sealed class CancelPreview(DbConnectionFactory connections, SnapOptions snap)
{
    private static readonly string[] Cancellable = [CampaignStatus.Scheduled, CampaignStatus.Issuing, CampaignStatus.Sending, CampaignStatus.Paused, CampaignStatus.Error];

    /// <summary>Client keys checked against the agent's table per query.</summary>
    private const int KeyChunk = 1000;

    public async Task<CancelPreviewResult?> GetAsync(long id, CancellationToken ct)
    {
        await using var c = await connections.OpenAsync(ct);
        var campaign = await c.QuerySingleOrDefaultAsync<(string Status, int Recipients)?>(new CommandDefinition(
            "SELECT status, recipient_count FROM campaigns WHERE id = @id AND deleted_at IS NULL", new { id }, cancellationToken: ct));
        if (campaign is not { } found)
        {
            return null;
        }

        if (found.Status == CampaignStatus.Scheduled)
        {
            return new CancelPreviewResult(id, found.Status, true, found.Recipients, 0, 0, 0);
        }

        var counts = (await c.QueryAsync<(string Status, int Count)>(new CommandDefinition(
            "SELECT status, COUNT(*) FROM delivery_items WHERE campaign_id = @id GROUP BY status", new { id }, cancellationToken: ct))).ToDictionary(x => x.Status, x => x.Count);
        // QUEUED items are unsent only while their agent row is still ready: ask the agent's table, not our message status.
        var queued = (await c.QueryAsync<(string Key, long Coupon)>(new CommandDefinition(
            $"""
            SELECT m.client_key, CAST(k.id IS NOT NULL AND k.status = '{CouponStatus.Unused}' AS SIGNED) FROM delivery_items d JOIN messages m ON m.id = d.message_id
            LEFT JOIN coupons k ON k.id = d.coupon_id
            WHERE d.campaign_id = @id AND d.status = '{ItemStatus.Queued}' AND m.status = '{MessageStatus.Ready}'
            """, new { id }, cancellationToken: ct))).ToList();
        var ready = new HashSet<string>(StringComparer.Ordinal);
        var table = UmsTableDdl.Quote(snap.SendTable);
        foreach (var chunk in queued.Select(q => q.Key).Chunk(KeyChunk))
        {
            ready.UnionWith(await c.QueryAsync<string>(new CommandDefinition(
                $"SELECT CLIENT_KEY FROM {table} WHERE CLIENT_KEY IN @chunk AND MSG_STATUS = 'ready'", new { chunk }, cancellationToken: ct)));
        }

        var notQueued = await c.QuerySingleAsync<(int Items, int Coupons)>(new CommandDefinition(
            $"""
            SELECT COUNT(*), CAST(COALESCE(SUM(k.id IS NOT NULL AND k.status = '{CouponStatus.Unused}'), 0) AS SIGNED) FROM delivery_items d LEFT JOIN coupons k ON k.id = d.coupon_id
            WHERE d.campaign_id = @id AND d.status IN ('{ItemStatus.Pending}', '{ItemStatus.Issuing}', '{ItemStatus.Issued}', '{ItemStatus.Rendered}')
            """, new { id }, cancellationToken: ct));
        var unsent = notQueued.Items + ready.Count;
        var coupons = notQueued.Coupons + queued.Count(q => q.Coupon > 0 && ready.Contains(q.Key));
        var taken = counts.GetValueOrDefault(ItemStatus.Queued) - ready.Count;
        var finished = counts.GetValueOrDefault(ItemStatus.Sent) + counts.GetValueOrDefault(ItemStatus.SendFailed) + counts.GetValueOrDefault(ItemStatus.Replaced);
        var resendsDue = await c.ExecuteScalarAsync<int>(new CommandDefinition(
            $"SELECT COUNT(*) FROM delivery_items WHERE campaign_id = @id AND status = '{ItemStatus.SendFailed}' AND resend_due_at IS NOT NULL", new { id }, cancellationToken: ct));
        var cancellable = Cancellable.Contains(found.Status) && (unsent + resendsDue > 0 || taken + finished == 0);
        return new CancelPreviewResult(id, found.Status, cancellable, unsent, coupons, taken, finished);
    }
}
