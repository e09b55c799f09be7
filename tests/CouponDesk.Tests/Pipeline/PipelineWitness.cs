using CouponDesk.TestSupport;
using Dapper;

namespace CouponDesk.Tests.Pipeline;

/// <summary>What the stand-ins and our tables say happened to one campaign, recipient by recipient.</summary>
public sealed record PipelineWitness(
    int Items,
    int ItemsWithoutFinalState,
    int RecipientsDeliveredTwice,
    int RecipientsNeverDelivered,
    int SentItems,
    int CouponsStored,
    int CouponsBoughtAtCoufun,
    int CouponsBoughtForSucceededOrders,
    int CouponsBoughtForInDoubtOrders,
    int InDoubtOrders,
    int StoredCouponsHeldByNobody)
{
    /// <summary>Reads our tables and the SNAP ledger (same database) and asks the COUFUN stand-in about every TR_ID.</summary>
    public static async Task<PipelineWitness> ReadAsync(TestDatabase database, CoufunStandInHost coufun, long campaignId)
    {
        await using var c = await database.OpenAsync();
        var items = await c.ExecuteScalarAsync<int>("SELECT COUNT(*) FROM delivery_items WHERE campaign_id = @campaignId", new { campaignId });
        var notFinal = await c.ExecuteScalarAsync<int>(
            "SELECT COUNT(*) FROM delivery_items WHERE campaign_id = @campaignId AND status NOT IN ('SENT','SEND_FAILED','ISSUE_FAILED','RENDER_FAILED','CANCELLED')", new { campaignId });
        // Deliveries per recipient, by the agent's own ledger, over every message ever queued for the item.
        var deliveries = (await c.QueryAsync<(long Item, long Delivered)>(
            """
            SELECT d.id, COALESCE(SUM(l.deliver_count), 0) FROM delivery_items d
            LEFT JOIN messages m ON m.recipient_id = d.id AND m.campaign_id = d.campaign_id
            LEFT JOIN snapstandin_deliveries l ON l.client_key COLLATE utf8mb4_unicode_ci = m.client_key
            WHERE d.campaign_id = @campaignId GROUP BY d.id
            """, new { campaignId })).ToList();
        var sent = await c.ExecuteScalarAsync<int>("SELECT COUNT(*) FROM delivery_items WHERE campaign_id = @campaignId AND status = 'SENT'", new { campaignId });
        var stored = await c.ExecuteScalarAsync<int>("SELECT COUNT(*) FROM coupons WHERE order_ref IN (SELECT id FROM issuance_orders WHERE campaign_id = @campaignId)", new { campaignId });
        // A stored coupon no recipient holds would be a second coupon bought for someone.
        var orphans = await c.ExecuteScalarAsync<int>(
            "SELECT COUNT(*) FROM coupons k WHERE k.order_ref IN (SELECT id FROM issuance_orders WHERE campaign_id = @campaignId) AND NOT EXISTS (SELECT 1 FROM delivery_items d WHERE d.coupon_id = k.id)",
            new { campaignId });
        var orders = (await c.QueryAsync<(string TrId, string Status)>("SELECT tr_id, status FROM issuance_orders WHERE campaign_id = @campaignId", new { campaignId })).ToList();
        int bought = 0, boughtOk = 0, boughtDoubt = 0;
        foreach (var order in orders)
        {
            var counters = await coufun.CountersAsync(order.TrId);
            bought += counters.Coupons;
            if (order.Status == "SUCCEEDED")
            {
                boughtOk += counters.Coupons;
            }
            else if (order.Status == "IN_DOUBT")
            {
                boughtDoubt += counters.Coupons;
            }
        }

        return new PipelineWitness(items, notFinal, deliveries.Count(d => d.Delivered > 1), deliveries.Count(d => d.Delivered == 0), sent, stored,
            bought, boughtOk, boughtDoubt, orders.Count(o => o.Status == "IN_DOUBT"), orphans);
    }
}
