using System.Collections.Concurrent;
using CouponDesk.Data;
using CouponDesk.Features.Alerts;
using CouponDesk.Features.Campaigns;
using CouponDesk.Features.Coupons;
using CouponDesk.Features.Pipeline.Leases;
using CouponDesk.Features.Pipeline.Scheduling;
using CouponDesk.Features.Products;
using CouponDesk.Features.Recipients;
using CouponDesk.Features.Rendering;
using CouponDesk.Hosting.Liveness;
using CouponDesk.Integrations.Snap;
using CouponDesk.Security.Pii;
using CouponDesk.Shared.Text;
using Dapper;

namespace CouponDesk.Features.Pipeline;

/// <summary>
/// spec D6–D7: claims ISSUED items of running campaigns with a lease (short transaction), draws their coupons on every core
/// from the campaign's template (fixed parts drawn once; the numbers from <see cref="CouponRepository.RevealNumbersAsync"/>),
/// stages the JPEGs, then queues them through the shared <see cref="QueueTail"/>: in ONE transaction the lease is
/// re-checked, the <c>messages</c> + <c>UMS_MSG</c> rows inserted (multi-row) and the items marked QUEUED — unless the
/// campaign was stopped meanwhile (<see cref="CampaignRunGate"/>): then the batch is released and nothing queued. A worker killed
/// between the two leaves only orphan image files (purged by the staged-image purge) and an expiring lease. A C/S
/// 번호변경 replacement (<c>parent_item_id</c> set) is sent by C/S as an AFTER_PHONE_CHANGE message, not here.
/// </summary>
public sealed class RenderAndQueue(
    DbConnectionFactory connections,
    CouponRenderer renderer,
    RenderHealth renderHealth,
    ProductImageStore productImages,
    SnapImageStager stager,
    QueueTail tail,
    CouponRepository coupons,
    PiiProtector pii,
    CampaignTransitions transitions,
    PreparationRates rates,
    PipelineOptions options,
    ProcessIdentity identity,
    TimeProvider time,
    IOperationsAlerts alerts,
    ILogger<RenderAndQueue> logger) : IDisposable
{
    /// <summary>How long the loop rests after the image store was found full before it tries again (issue 22).</summary>
    public static readonly TimeSpan SpaceRetry = TimeSpan.FromSeconds(5);

    private readonly Lock spaceGate = new();
    private DateTimeOffset? storeFullSince;
    private DateTimeOffset restUntil;
    private readonly ConcurrentDictionary<(long Campaign, DateOnly ValidUntil), CouponTemplate> templates = new();

    /// <summary>Spec §4.2 D6: drawing is tried this many times before the item is RENDER_FAILED.</summary>
    private const int MaxRenderAttempts = 3;

    private sealed record Work(long ItemId, long CampaignId, int RenderAttempts, long CouponId, string? StampDuty, DateTime ValidUntil, byte[] PhoneEnc, long ListId, int Seq);

    private sealed record CampaignParts(long Id, string? GoodsId, string? ProductName, string? ExchangePlace, string? CouponType, int? ListPrice,
        string? SenderNumber, string? MmsTitle, string? MmsBody, bool UseBanner, long? BannerId, DateTime? ScheduledAt);

    /// <summary>Test seam: runs after rendering, before the queue transaction begins.</summary>
    internal Func<long, CancellationToken, Task>? BeforeQueueTransaction { get; set; }

    /// <summary>Test seam: runs inside the queue transaction, right after the run gate let it through.</summary>
    internal Func<long, CancellationToken, Task>? InQueueTransaction { get; set; }

    public async Task<int> StepAsync(CancellationToken ct)
    {
        lock (spaceGate)
        {
            if (time.GetUtcNow() < restUntil)
            {
                return 0; // the image store was full a moment ago: drawing again now would only fail again
            }
        }

        var now = time.GetUtcNow().UtcDateTime;
        LeaseClaimed<Work> claim;
        await using (var c = await connections.OpenAsync(ct))
        {
            var campaigns = (await c.QueryAsync<long>(new CommandDefinition(
                $"SELECT id FROM campaigns WHERE status IN {CampaignStatus.RunningSql}", cancellationToken: ct))).ToArray();
            if (campaigns.Length == 0)
            {
                return 0;
            }

            // The work (items ⨝ coupons ⨝ recipients) is read after the claim commits, by lease token (D-PIPE-20, LeaseClaim).
            // On (campaign_id, status, id) in its own order, so no sort (D-PERF-3): ordered by id alone, the optimizer walked
            // the primary key from the first item of a year (2.4 million rows per claim) or sorted every campaign's backlog.
            claim = await LeaseClaim.ClaimAsync<Work>(c, identity, LeaseTable.DeliveryItems,
                $"""
                SELECT id FROM delivery_items FORCE INDEX (ix_delivery_items_status)
                WHERE campaign_id IN @campaigns AND status = '{ItemStatus.Issued}' AND parent_item_id IS NULL AND (lease_until IS NULL OR lease_until < @now)
                ORDER BY campaign_id, id LIMIT @batch FOR UPDATE SKIP LOCKED
                """, new { now, batch = options.QueueBatchSize, campaigns },
                """
                SELECT d.id AS ItemId, d.campaign_id AS CampaignId, d.render_attempts AS RenderAttempts, k.id AS CouponId,
                       k.stamp_duty AS StampDuty, k.valid_until AS ValidUntil, r.phone_enc AS PhoneEnc, d.list_id AS ListId, d.seq AS Seq
                FROM delivery_items d JOIN coupons k ON k.id = d.coupon_id JOIN recipient_list_rows r ON r.list_id = d.list_id AND r.seq = d.seq
                WHERE d.id IN @ids AND d.lease_token = @token
                """, now.AddSeconds(options.LeaseSeconds), ct);
            if (claim.Work.Count < claim.Ids.Length)
            {
                // Never expected now; if it happens, hand the items back at once instead of holding them for a lease.
                var missing = claim.Ids.Except(claim.Work.Select(w => w.ItemId)).ToArray();
                logger.LogWarning("{Count} claimed items had no coupon or recipient row; their lease is released", missing.Length);
                await LeaseClaim.ReleaseAsync(c, null, LeaseTable.DeliveryItems, missing, claim.Token, ct);
            }
        }

        var token = claim.Token;
        var work = claim.Work;
        foreach (var group in work.GroupBy(w => w.CampaignId))
        {
            // A deadlock victim (the hand-off's inserts against the result sync) hands its batch back at once instead of
            // holding it for the whole lease; its staged files are purged as orphans.
            await LeaseClaim.ReleaseOnRollbackAsync(connections, LeaseTable.DeliveryItems, group.Select(w => w.ItemId), token,
                () => RenderAndQueueCampaignAsync(group.Key, [.. group], token, ct),
                error => logger.LogWarning("Campaign {CampaignId}: render-and-queue batch rolled back ({Error}); released for the next pass", group.Key, error), ct);
        }

        return work.Count;
    }

    private async Task RenderAndQueueCampaignAsync(long campaignId, List<Work> work, string token, CancellationToken ct)
    {
        var campaign = await LoadCampaignAsync(campaignId, ct);
        var numbers = await coupons.RevealNumbersAsync([.. work.Select(w => w.CouponId)], ct);
        var staged = new ConcurrentDictionary<long, string>();
        var failed = new ConcurrentDictionary<long, string>();
        var noSpace = new ConcurrentDictionary<long, bool>();
        await Parallel.ForEachAsync(work, new ParallelOptions { MaxDegreeOfParallelism = options.RenderParallelism > 0 ? options.RenderParallelism : Environment.ProcessorCount, CancellationToken = ct }, async (w, token2) =>
        {
            var started = System.Diagnostics.Stopwatch.GetTimestamp();
            try
            {
                var template = await TemplateAsync(campaign, DateOnly.FromDateTime(w.ValidUntil), token2);
                var number = numbers.GetValueOrDefault(w.CouponId) ?? throw new InvalidOperationException("coupon number not found");
                var jpeg = template.Render(number, w.StampDuty).Jpeg;
                staged[w.ItemId] = await stager.StageAsync(jpeg, token2);
                Web.Metrics.CouponDeskMetrics.ImageRendered(started);
                renderHealth.Record(ok: true, System.Diagnostics.Stopwatch.GetElapsedTime(started).TotalSeconds);
            }
            catch (IOException ex) when (DiskFull.Is(ex))
            {
                // Not the coupon's fault: the item waits for space, no render attempt is counted (issue 22).
                noSpace[w.ItemId] = true;
            }
            catch (Exception ex) when (ex is CouponRenderException or IOException or ArgumentException or InvalidOperationException)
            {
                logger.LogWarning("Rendering item {ItemId} failed: {Error}", w.ItemId, ex.GetType().Name);
                failed[w.ItemId] = ex.GetType().Name;
                Web.Metrics.CouponDeskMetrics.ImageFailed();
                renderHealth.Record(ok: false, System.Diagnostics.Stopwatch.GetElapsedTime(started).TotalSeconds);
            }
        });
        await renderHealth.CheckAsync(ct);
        await NoteStoreSpaceAsync(noSpace.Count, staged.Count, ct);

        if (BeforeQueueTransaction is { } before)
        {
            await before(campaignId, ct);
        }

        // The queue transaction runs again whole when it loses a deadlock or a cluster certification conflict (the
        // images stay staged), instead of leaving the batch leased and drawn again after the lease.
        var result = await DeadlockRetry.RunAsync(() => QueueAsync(campaign, work, staged, failed, noSpace, token, ct), logger, "render-queue: queue");
        if (result.Outcome == QueueTailOutcome.Refused)
        {
            // The tail rolled back and deleted the staged images; the stop is a transaction of its own, retried whole too.
            await DeadlockRetry.RunAsync(async () =>
            {
                await using var c = await connections.OpenAsync(ct);
                await using var tx = await c.BeginTransactionAsync(ct);
                await transitions.StopAsync(c, tx, campaignId, "MMS_INVALID", Truncation.Truncate($"메시지를 접수할 수 없습니다: {result.Refusal!.Message}", 300), ct);
                await tx.CommitAsync(ct);
            }, logger, "render-queue: stop on refusal");
        }
        else if (result.Outcome == QueueTailOutcome.Queued)
        {
            Web.Metrics.CouponDeskMetrics.Queued(result.Ready.Count);
        }

        await rates.RecordAsync(campaignId, ct);
    }

    /// <summary>
    /// A full image store (issue 22): the first batch that meets it says so once — a log line and one
    /// <c>image.disk_full</c> alert — and the loop rests <see cref="SpaceRetry"/> between tries; the first batch that
    /// stages again says the space is back. Nobody has to retry anything by hand.
    /// </summary>
    private async Task NoteStoreSpaceAsync(int withoutSpace, int stagedCount, CancellationToken ct)
    {
        var now = time.GetUtcNow();
        bool began, ended;
        lock (spaceGate)
        {
            began = withoutSpace > 0 && storeFullSince is null;
            ended = withoutSpace == 0 && stagedCount > 0 && storeFullSince is not null;
            if (withoutSpace > 0)
            {
                storeFullSince ??= now;
                restUntil = now + SpaceRetry;
            }
            else if (ended)
            {
                storeFullSince = null;
            }
        }

        if (began)
        {
            logger.LogWarning("Image store full: {Count} coupon images could not be staged; the items wait and are drawn again every {Seconds} s until there is space",
                withoutSpace, (int)SpaceRetry.TotalSeconds);
            await alerts.RaiseAsync(new OperationsAlert("image.disk_full",
                $"{DeliveryItemTransitions.ImageSpaceReason}: 쿠폰 이미지를 저장하지 못해 발송 대기 중입니다. 저장 공간이 확보되면 자동으로 이어서 발송합니다.",
                AlertSeverity.Critical, "snap-images"), ct);
        }
        else if (ended)
        {
            logger.LogInformation("Image store has space again; waiting items are being drawn");
        }
    }

    private Task<QueueTailResult> QueueAsync(CampaignParts campaign, List<Work> work, ConcurrentDictionary<long, string> staged, ConcurrentDictionary<long, string> failed,
        ConcurrentDictionary<long, bool> noSpace, string token, CancellationToken ct)
    {
        var campaignId = campaign.Id;
        var now = time.GetUtcNow().UtcDateTime;
        var reserve = campaign.ScheduledAt is { } at && at > now ? DateTime.SpecifyKind(at, DateTimeKind.Utc) : (DateTime?)null;
        var byItem = work.ToDictionary(w => w.ItemId);
        return tail.RunAsync(new QueueBatch(campaignId, token, [.. work.Select(w => w.ItemId)], staged,
            $"SELECT id FROM delivery_items WHERE id IN @ids AND lease_token = @token AND status = '{ItemStatus.Issued}' FOR UPDATE",
            (_, _, ready, _) => Task.FromResult<IReadOnlyList<OutgoingMms>>([.. ready.Select(id => new OutgoingMms
            {
                // Bound to the recipient row (D-SEC-12): a phone copied from another row throws, it is never sent to.
                Phone = pii.Decrypt(byItem[id].PhoneEnc, RecipientsModule.PhoneColumn.PlaceOf(byItem[id].ListId, byItem[id].Seq)),
                CallbackNumber = campaign.SenderNumber ?? "",
                Title = campaign.MmsTitle ?? "",
                Body = campaign.MmsBody ?? "",
                ImagePaths = [staged[id]],
                ReserveAtUtc = reserve,
                CampaignId = campaignId,
                RecipientId = id,
                CouponId = byItem[id].CouponId,
            })]),
            (c, tx, queued, token2) => DeliveryItemTransitions.QueuedAsync(c, tx, queued, now, token2))
        {
            AfterGate = InQueueTransaction,
            // spec D6: three attempts, then RENDER_FAILED; before that the lease is dropped so the item is drawn again.
            AlsoInTransaction = async (c, tx, stillOurs, token2) =>
            {
                await DeliveryItemTransitions.RenderFailedAsync(c, tx, [.. failed.Keys.Where(stillOurs.Contains)], MaxRenderAttempts, now, token2);
                await DeliveryItemTransitions.ImageSpaceWaitAsync(c, tx, [.. noSpace.Keys.Where(stillOurs.Contains)], now, token2);
            },
        }, ct);
    }

    private async Task<CouponTemplate> TemplateAsync(CampaignParts campaign, DateOnly validUntil, CancellationToken ct)
    {
        if (templates.TryGetValue((campaign.Id, validUntil), out var existing))
        {
            return existing;
        }

        var product = campaign.GoodsId is null ? null : await productImages.GetBytesAsync(campaign.GoodsId, cancellationToken: ct);
        byte[]? banner = null;
        if (campaign is { UseBanner: true, BannerId: { } bannerId })
        {
            await using var c = await connections.OpenAsync(ct);
            banner = await c.ExecuteScalarAsync<byte[]?>(new CommandDefinition("SELECT content FROM campaign_banners WHERE id = @bannerId", new { bannerId }, cancellationToken: ct));
        }

        var type = campaign.CouponType == "AMOUNT" ? Rendering.CouponType.Amount : Rendering.CouponType.Barcode;
        var spec = new CouponTemplateSpec(campaign.ProductName ?? "", campaign.ExchangePlace ?? "", validUntil, type, type == Rendering.CouponType.Amount ? campaign.ListPrice : null, product, banner);
        var created = renderer.CreateTemplate(spec);
        if (!templates.TryAdd((campaign.Id, validUntil), created))
        {
            created.Dispose();
        }

        return templates[(campaign.Id, validUntil)];
    }

    private async Task<CampaignParts> LoadCampaignAsync(long id, CancellationToken ct)
    {
        await using var c = await connections.OpenAsync(ct);
        return await c.QuerySingleAsync<CampaignParts>(new CommandDefinition(
            """
            SELECT id, goods_id AS GoodsId, product_name AS ProductName, exchange_place AS ExchangePlace, coupon_type AS CouponType, list_price AS ListPrice,
                   sender_number AS SenderNumber, mms_title AS MmsTitle, mms_body AS MmsBody, use_banner AS UseBanner, banner_id AS BannerId, scheduled_at AS ScheduledAt
            FROM campaigns WHERE id = @id
            """, new { id }, cancellationToken: ct));
    }

    /// <summary>Drops the templates of campaigns that no longer run (called from the worker loop).</summary>
    public void Forget(IReadOnlySet<long> running)
    {
        foreach (var key in templates.Keys.Where(k => !running.Contains(k.Campaign)))
        {
            if (templates.TryRemove(key, out var template))
            {
                template.Dispose();
            }
        }
    }

    public void Dispose()
    {
        foreach (var template in templates.Values)
        {
            template.Dispose();
        }
    }
}
