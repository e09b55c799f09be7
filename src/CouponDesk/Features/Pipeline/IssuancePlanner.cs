using System.Globalization;
using CouponDesk.Data;
using CouponDesk.Features.Campaigns;
using CouponDesk.Features.Pipeline.OrderSize;
using CouponDesk.Shared.Time;
using Dapper;

namespace CouponDesk.Features.Pipeline;

/// <summary>
/// spec D2: claims PENDING items of running campaigns and groups them into issuance orders of up to CREATE_CNT coupons.
/// The order, its deterministic TR_ID and its items are committed <b>before</b> any call is made (spec §4.4 PLANNED).
/// The spending guard refuses to plan coupons whose value would pass the approved estimate. Replacement items of a C/S
/// 번호변경 (<c>parent_item_id</c> set) are not the campaign's: C/S orders them itself (<c>origin</c> CS).
/// </summary>
public sealed class IssuancePlanner(DbConnectionFactory connections, PipelineOptions options, CampaignTransitions transitions, OrderSizeRule orderSize, TimeProvider time)
{
    public async Task<int> PlanAsync(CancellationToken ct)
    {
        var now = time.GetUtcNow().UtcDateTime;
        // CREATE_CNT: the adaptive order size (D-PIPE-30). While cautious (one coupon per call), single orders are planned
        // only a little ahead of the calls, so the items still unplanned when the supplier recovers get full orders again.
        var size = await orderSize.CouponsPerCallAsync(ct);
        var cautious = size < options.CouponsPerOrder;
        var horizon = options.IssueConcurrency * 2;
        var withinHorizon = cautious ? $"AND (SELECT COUNT(*) FROM issuance_orders o WHERE o.campaign_id = cp.id AND o.status = '{OrderStatus.Planned}') < @horizon" : "";
        await using var c = await connections.OpenAsync(ct);
        // READ COMMITTED: the spending guard's sums must see every order as of now. Under REPEATABLE READ the campaign
        // claim's EXISTS subquery (a plain read) fixed the snapshot before the items were locked, so an order that went
        // IN_DOUBT in between was counted twice — still bought, and its items pending again — and the guard stopped a
        // campaign within its estimate (found by the fault suite, issue 22). Row-based binary logs only (operations.md).
        await using var tx = await c.BeginTransactionAsync(System.Data.IsolationLevel.ReadCommitted, ct);
        var campaign = await c.QuerySingleOrDefaultAsync<(long Id, string GoodsId, int ListPrice, long? CostEstimate)>(new CommandDefinition(
            $"""
            SELECT cp.id, cp.goods_id, COALESCE(cp.list_price, 0), cp.cost_estimate FROM campaigns cp
            WHERE cp.status IN {CampaignStatus.RunningSql}
              AND EXISTS (SELECT 1 FROM delivery_items d FORCE INDEX (ix_delivery_items_status) WHERE d.campaign_id = cp.id AND d.status = '{ItemStatus.Pending}' AND d.parent_item_id IS NULL)
              {withinHorizon}
            ORDER BY cp.start_at LIMIT 1 FOR UPDATE SKIP LOCKED
            """, new { horizon }, tx, cancellationToken: ct));
        if (campaign.Id == 0)
        {
            return 0;
        }

        var batch = cautious ? horizon : options.CouponsPerOrder * options.IssueConcurrency * 2;
        // FORCE INDEX here and in the EXISTS above (D-PERF-3): with a year of items the optimizer walked the index on
        // parent_item_id (or the primary key) from the first item of the first campaign — 2.4 million rows per claim.
        var items = (await c.QueryAsync<long>(new CommandDefinition(
            $"SELECT id FROM delivery_items FORCE INDEX (ix_delivery_items_status) WHERE campaign_id = @id AND status = '{ItemStatus.Pending}' AND parent_item_id IS NULL ORDER BY id LIMIT @batch FOR UPDATE SKIP LOCKED",
            new { id = campaign.Id, batch }, tx, cancellationToken: ct))).ToList();
        if (items.Count == 0)
        {
            return 0;
        }

        if (campaign.CostEstimate is { } estimate && campaign.ListPrice > 0)
        {
            // Bought or being bought, and (apart) possibly bought in doubt: the guard stops the campaign when either passes its budget.
            var committed = await c.QuerySingleAsync<(long Sure, long Doubt)>(new CommandDefinition(
                $"""
                SELECT CAST(COALESCE(SUM(IF(status = '{OrderStatus.InDoubt}', 0, create_cnt * unit_price)), 0) AS SIGNED),
                       CAST(COALESCE(SUM(IF(status = '{OrderStatus.InDoubt}', create_cnt * unit_price, 0)), 0) AS SIGNED)
                FROM issuance_orders WHERE campaign_id = @id AND status NOT IN ('{OrderStatus.Failed}', '{OrderStatus.SettledNotIssued}')
                """, new { id = campaign.Id }, tx, cancellationToken: ct));
            var doubtBudget = Math.Max(estimate * options.SpendingMarginPercent / 100.0, (double)options.CouponsPerOrder * campaign.ListPrice);
            if (committed.Sure + ((long)items.Count * campaign.ListPrice) > estimate || committed.Doubt > doubtBudget)
            {
                await transitions.StopAsync(c, tx, campaign.Id, "SPENDING_GUARD",
                    string.Create(CultureInfo.InvariantCulture, $"발급 금액이 승인된 예상 금액({estimate:N0}원)을 넘게 되어 중지했습니다. 발급 확인 필요 목록을 확인해 주세요."), ct);
                await tx.CommitAsync(ct);
                return 0;
            }
        }

        foreach (var chunk in items.Chunk(size))
        {
            await CreateOrderAsync(c, tx, campaign.Id, campaign.GoodsId, campaign.ListPrice, chunk, OrderOrigin.Campaign, now, ct);
        }

        await tx.CommitAsync(ct);
        return items.Count;
    }

    /// <summary>
    /// spec D2 for one order, in the caller's transaction: the PLANNED order with its deterministic TR_ID and items, the items
    /// ISSUING. Committed before any call is made (spec §4.4). Also used by C/S for a 번호변경 replacement coupon.
    /// </summary>
    public async Task<long> CreateOrderAsync(
        MySqlConnector.MySqlConnection c, MySqlConnector.MySqlTransaction tx, long campaignId, string goodsId, int unitPrice, IReadOnlyCollection<long> items, string origin, DateTime now, CancellationToken ct)
    {
        // TR_ID deterministic from our own order row (coufun-b2c-api.md §8.1): prefix (with the environment) + KST date + id.
        var datePart = Kst.ToKst(now).ToString("yyMMdd", CultureInfo.InvariantCulture);
        var orderId = await IssuanceOrderTransitions.PlanAsync(c, tx, campaignId, goodsId, items.Count, unitPrice,
            id => string.Create(CultureInfo.InvariantCulture, $"{options.TrIdPrefix}{datePart}{id:D12}"), now, ct, origin);
        await c.ExecuteAsync(new CommandDefinition(
            "INSERT INTO issuance_order_items (order_id, item_id) VALUES " + string.Join(',', items.Select(i => string.Create(CultureInfo.InvariantCulture, $"({orderId},{i})"))),
            transaction: tx, cancellationToken: ct));
        await DeliveryItemTransitions.StartIssuingAsync(c, tx, orderId, items, now, ct);
        return orderId;
    }
}
