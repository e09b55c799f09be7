using CouponDesk.Shared.Snap;
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
    /// <summary>Our <c>messages</c> rows of the campaign (one per queued MMS).</summary>
    public int Messages { get; init; }

    /// <summary>Items with more than one message (none for a campaign without resends).</summary>
    public int ItemsWithTwoMessages { get; init; }

    /// <summary>The campaign's rows in the agent's tables (<c>UMS_MSG</c> and every <c>UMS_LOG_YYYYMM</c>), by CLIENT_KEY.</summary>
    public int AgentRows { get; init; }

    /// <summary>CLIENT_KEYs found in more than one agent row (send table and month tables together).</summary>
    public int DuplicateClientKeys { get; init; }

    /// <summary>TR_IDs used by more than one of the campaign's orders.</summary>
    public int DuplicateTrIds { get; init; }

    /// <summary>Failed items without a stated reason (failure code or reason).</summary>
    public int FailedWithoutReason { get; init; }

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
            LEFT JOIN snapstandin_deliveries l ON l.client_key = m.client_key COLLATE utf8mb4_general_ci
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

        var messages = await c.ExecuteScalarAsync<int>("SELECT COUNT(*) FROM messages WHERE campaign_id = @campaignId", new { campaignId });
        var twoMessages = await c.ExecuteScalarAsync<int>(
            "SELECT COUNT(*) FROM (SELECT recipient_id FROM messages WHERE campaign_id = @campaignId GROUP BY recipient_id HAVING COUNT(*) > 1) x", new { campaignId });
        var (agentRows, duplicateKeys) = await AgentRowsAsync(c, campaignId);
        var failedWithoutReason = await c.ExecuteScalarAsync<int>(
            """
            SELECT COUNT(*) FROM delivery_items WHERE campaign_id = @campaignId AND status IN ('SEND_FAILED','ISSUE_FAILED','RENDER_FAILED')
              AND COALESCE(failure_code, '') = '' AND COALESCE(failure_reason, '') = ''
            """, new { campaignId });
        return new PipelineWitness(items, notFinal, deliveries.Count(d => d.Delivered > 1), deliveries.Count(d => d.Delivered == 0), sent, stored,
            bought, boughtOk, boughtDoubt, orders.Count(o => o.Status == "IN_DOUBT"), orphans)
        {
            Messages = messages,
            ItemsWithTwoMessages = twoMessages,
            AgentRows = agentRows,
            DuplicateClientKeys = duplicateKeys,
            DuplicateTrIds = orders.Where(o => o.TrId is not null).GroupBy(o => o.TrId).Count(g => g.Count() > 1),
            FailedWithoutReason = failedWithoutReason,
        };
    }

    /// <summary>
    /// The fault suite's common witnesses (issue 22): every recipient served once or failed with a reason, one coupon
    /// and one message (one agent row) per served recipient, no TR_ID or CLIENT_KEY used twice, and every coupon COUFUN
    /// created held by a recipient or listed under an in-doubt order. <paramref name="failed"/> is how many recipients
    /// the scenario allows to fail (they must carry a reason).
    /// </summary>
    public void AssertCommon(int recipients, int failed = 0)
    {
        Assert.Equal(recipients, Items);
        Assert.Equal(0, ItemsWithoutFinalState);
        Assert.Equal(recipients - failed, SentItems);
        Assert.Equal(0, FailedWithoutReason);
        Assert.Equal(0, RecipientsDeliveredTwice);
        Assert.Equal(failed, RecipientsNeverDelivered);
        Assert.Equal(0, ItemsWithTwoMessages);
        Assert.Equal(Messages, AgentRows);
        Assert.Equal(0, DuplicateClientKeys);
        Assert.Equal(0, DuplicateTrIds);
        Assert.Equal(0, StoredCouponsHeldByNobody);
        Assert.Equal(CouponsBoughtAtCoufun, CouponsBoughtForSucceededOrders + CouponsBoughtForInDoubtOrders);
        Assert.Equal(CouponsStored, CouponsBoughtForSucceededOrders);
    }

    private static async Task<(int Rows, int DuplicateKeys)> AgentRowsAsync(MySqlConnector.MySqlConnection c, long campaignId)
    {
        var pattern = UmsTableDdl.DefaultLogTablePrefix.Replace("_", "\\_", StringComparison.Ordinal) + "%";
        var logTables = await c.QueryAsync<string>(
            "SELECT TABLE_NAME FROM information_schema.TABLES WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME LIKE @pattern", new { pattern });
        var union = string.Join(" UNION ALL ", new[] { UmsTableDdl.DefaultSendTable }.Concat(logTables)
            .Select(t => $"SELECT CLIENT_KEY AS k FROM {UmsTableDdl.Quote(t)}"));
        var perKey = (await c.QueryAsync<int>(
            $"SELECT COUNT(*) FROM ({union}) a JOIN messages m ON m.client_key = a.k COLLATE utf8mb4_unicode_ci WHERE m.campaign_id = @campaignId GROUP BY a.k",
            new { campaignId })).ToList();
        return (perKey.Sum(), perKey.Count(n => n > 1));
    }
}
