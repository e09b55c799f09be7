using CouponDesk.Data;
using CouponDesk.Features.Messages;
using CouponDesk.Features.Pipeline;
using CouponDesk.Features.Pipeline.Leases;
using CouponDesk.Features.Recipients;
using CouponDesk.Hosting.Liveness;
using CouponDesk.Integrations.Snap;
using CouponDesk.Security.Pii;
using Dapper;
using MySqlConnector;

namespace CouponDesk.Features.CustomerService;

/// <summary>
/// The replacement coupon of a 번호변경 after delivery (spec D13), from its order to its message. The order is a C/S
/// order (<see cref="OrderOrigin.CustomerService"/>) run by the pipeline's own <see cref="OrderExecutor"/> — the
/// exactly-once path: deterministic TR_ID, one same-TR_ID retry after a lost answer, IN_DOUBT and a fresh order when the
/// answer stays lost — whatever its campaign's state. Once ISSUED, the coupon is drawn and sent as an
/// AFTER_PHONE_CHANGE message. The request that made the change tries all of it at once; the worker loop
/// (<see cref="CsFollowUpWorker"/>) picks up whatever that could not finish: a replacement put back to PENDING after an
/// in-doubt order gets a new order, an ISSUED one is sent.
/// </summary>
public sealed class CsReissue(
    DbConnectionFactory connections,
    IssuancePlanner planner,
    OrderExecutor executor,
    CsSender sender,
    PiiProtector pii,
    PipelineOptions pipeline,
    CsOptions options,
    ProcessIdentity identity,
    TimeProvider time,
    ILogger<CsReissue> logger)
{
    private sealed record Work(long ItemId, long CampaignId, long CouponId, byte[]? PhoneEnc, long ListId, int Seq, string CampaignStatus);

    /// <summary>
    /// Runs the order now and sends the coupon; true when its message is queued. A worker may have claimed the order or
    /// the item first: then this waits (a few seconds at most) for the worker to get as far.
    /// </summary>
    public async Task<bool> CompleteAsync(long itemId, long orderId, CancellationToken ct)
    {
        try
        {
            foreach (var order in await executor.ClaimAsync(1, ct, orderId))
            {
                await executor.ExecuteAsync(order, ct);
            }

            var deadline = time.GetUtcNow() + TimeSpan.FromSeconds(options.InlineWaitSeconds);
            while (true)
            {
                if (await DispatchAsync(itemId, ct) > 0)
                {
                    return true;
                }

                await using var c = await connections.OpenAsync(ct);
                var status = await c.ExecuteScalarAsync<string?>(new CommandDefinition("SELECT status FROM delivery_items WHERE id = @itemId", new { itemId }, cancellationToken: ct));
                if (status is ItemStatus.Queued or ItemStatus.Sent or ItemStatus.SendFailed)
                {
                    return true;
                }

                if (status is not (ItemStatus.Issuing or ItemStatus.Issued or ItemStatus.Pending) || time.GetUtcNow() >= deadline)
                {
                    return false;
                }

                await Task.Delay(TimeSpan.FromMilliseconds(200), time, ct);
            }
        }
        catch (Exception ex) when (ex is MySqlException or IOException or InvalidOperationException)
        {
            logger.LogWarning(ex, "Replacement item {ItemId}: not finished inline; the C/S follow-up continues", itemId);
            return false;
        }
    }

    /// <summary>One pass of the worker: new orders for replacements back at PENDING, messages for ISSUED ones.</summary>
    public async Task<int> StepAsync(CancellationToken ct) => await PlanAsync(ct) + await DispatchAsync(null, ct);

    /// <summary>A replacement whose order ended IN_DOUBT is PENDING again: a new C/S order with a fresh TR_ID.</summary>
    public async Task<int> PlanAsync(CancellationToken ct)
    {
        var now = time.GetUtcNow().UtcDateTime;
        await using var c = await connections.OpenAsync(ct);
        // A plain read first, then a claim by id: the campaign rows are never locked (the planner claims them, D-PIPE-20).
        var candidates = (await c.QueryAsync<long>(new CommandDefinition(
            $"""
            SELECT d.id FROM delivery_items d JOIN campaigns cp ON cp.id = d.campaign_id
            WHERE d.status = '{ItemStatus.Pending}' AND d.parent_item_id IS NOT NULL AND cp.status NOT IN ('{Campaigns.CampaignStatus.Cancelling}', '{Campaigns.CampaignStatus.Cancelled}') LIMIT 50
            """, cancellationToken: ct))).ToArray();
        if (candidates.Length == 0)
        {
            return 0;
        }

        // One transaction, run again whole when it loses a deadlock or a cluster certification conflict.
        return await DeadlockRetry.RunAsync(async () =>
        {
            await using var tx = await c.BeginTransactionAsync(ct);
            var items = (await c.QueryAsync<(long Id, long CampaignId)>(new CommandDefinition(
                $"SELECT id, campaign_id FROM delivery_items WHERE id IN @candidates AND status = '{ItemStatus.Pending}' FOR UPDATE SKIP LOCKED", new { candidates }, tx, cancellationToken: ct))).ToList();
            foreach (var item in items)
            {
                var campaign = await c.QuerySingleAsync<(string GoodsId, int ListPrice)>(new CommandDefinition(
                    "SELECT goods_id, COALESCE(list_price, 0) FROM campaigns WHERE id = @id", new { id = item.CampaignId }, tx, cancellationToken: ct));
                await planner.CreateOrderAsync(c, tx, item.CampaignId, campaign.GoodsId, campaign.ListPrice, [item.Id], OrderOrigin.CustomerService, now, ct);
            }

            await tx.CommitAsync(ct);
            return items.Count;
        }, logger, "cs: replacement order");
    }

    /// <summary>Draws and sends ISSUED replacements (one, or all that are due); returns how many were queued.</summary>
    public async Task<int> DispatchAsync(long? itemId, CancellationToken ct)
    {
        var now = time.GetUtcNow().UtcDateTime;
        LeaseClaimed<Work> claim;
        await using (var c = await connections.OpenAsync(ct))
        {
            claim = await LeaseClaim.ClaimAsync<Work>(c, identity, LeaseTable.DeliveryItems,
                $"""
                SELECT id FROM delivery_items
                WHERE status = '{ItemStatus.Issued}' AND parent_item_id IS NOT NULL AND (@itemId IS NULL OR id = @itemId) AND (lease_until IS NULL OR lease_until < @now)
                ORDER BY id LIMIT 20 FOR UPDATE SKIP LOCKED
                """, new { itemId, now },
                """
                SELECT d.id AS ItemId, d.campaign_id AS CampaignId, d.coupon_id AS CouponId, r.phone_enc AS PhoneEnc, d.list_id AS ListId, d.seq AS Seq, cp.status AS CampaignStatus
                FROM delivery_items d JOIN campaigns cp ON cp.id = d.campaign_id JOIN recipient_list_rows r ON r.list_id = d.list_id AND r.seq = d.seq
                WHERE d.id IN @ids AND d.lease_token = @token
                """, now.AddSeconds(pipeline.LeaseSeconds), ct);
        }

        var queued = 0;
        foreach (var w in claim.Work)
        {
            if (w.PhoneEnc is null || w.CampaignStatus is Campaigns.CampaignStatus.Cancelling or Campaigns.CampaignStatus.Cancelled)
            {
                continue; // a cancel sweeps it; the lease runs out
            }

            queued += await SendAsync(w, claim.Token, ct) ? 1 : 0;
        }

        return queued;
    }

    private async Task<bool> SendAsync(Work w, string token, CancellationToken ct)
    {
        try
        {
            // One transaction, run again whole when it loses a deadlock or a cluster certification conflict.
            return await DeadlockRetry.RunAsync(() => SendOnceAsync(w, token, ct), logger, "cs: replacement send");
        }
        catch (Exception ex) when (ex is MmsValidationException or MySqlException or IOException or Rendering.CouponRenderException)
        {
            logger.LogWarning("Replacement item {ItemId}: sending failed ({Error}); tried again when its lease runs out", w.ItemId, ex.GetType().Name);
            return false;
        }
    }

    private async Task<bool> SendOnceAsync(Work w, string token, CancellationToken ct)
    {
        string? staged = null;
        try
        {
            await using var c = await connections.OpenAsync(ct);
            await using var tx = await c.BeginTransactionAsync(ct);
            var mine = await c.ExecuteScalarAsync<long?>(new CommandDefinition(
                $"SELECT id FROM delivery_items WHERE id = @id AND lease_token = @token AND status = '{ItemStatus.Issued}' FOR UPDATE", new { id = w.ItemId, token }, tx, cancellationToken: ct));
            if (mine is null)
            {
                return false;
            }

            staged = await sender.StageImageAsync(c, tx, w.CampaignId, w.CouponId, null, ct);
            var message = await sender.QueueAsync(c, tx, new CsMessage(w.ItemId, w.CampaignId, w.CouponId, pii.Decrypt(w.PhoneEnc!, RecipientsModule.PhoneColumn.PlaceOf(w.ListId, w.Seq)), MessageType.AfterPhoneChange), staged, ct);
            await DeliveryItemTransitions.QueuedAsync(c, tx, [(w.ItemId, message.MessageId)], time.GetUtcNow().UtcDateTime, ct);
            await tx.CommitAsync(ct);
            logger.LogInformation("Replacement item {ItemId} queued as message {MessageId}", w.ItemId, message.MessageId);
            return true;
        }
        catch
        {
            sender.Discard(staged); // rolled back: the file belongs to no message
            throw;
        }
    }
}
