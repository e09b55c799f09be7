using CouponDesk.Data;
using CouponDesk.Features.Campaigns;
using CouponDesk.Features.Coupons;
using CouponDesk.Features.Messages;
using CouponDesk.Features.Pipeline.Leases;
using CouponDesk.Features.Recipients;
using CouponDesk.Hosting.Liveness;
using CouponDesk.Integrations.Snap;
using CouponDesk.Security.Pii;
using CouponDesk.Shared.Time;
using Dapper;
using MySqlConnector;

namespace CouponDesk.Features.Pipeline.Resends;

/// <summary>
/// spec D9: queues the due resends (automatic or 실패 건 재시도) of SENDING campaigns, each as a NEW message — new CLIENT_KEY,
/// the next attempt number, its kind as message type, REQ_DATE now — for the same coupon and image. Claimed like every
/// pipeline step (<c>FOR UPDATE SKIP LOCKED</c> + lease, image work outside any transaction), then the shared
/// <see cref="QueueTail"/> re-checks the lease and that the resend is still due, inserts the messages and moves the items
/// to QUEUED pointing at them, in ONE transaction: two workers never resend one item twice, and a killed worker loses only its lease and a staged file.
/// A resend whose coupon is no longer unused (used, cancelled, expired) is dropped: the item stays SEND_FAILED; so is one
/// whose recipient's phone was purged (D-RECON-4), with the reason <see cref="PhonePurgedReason"/>.
/// </summary>
public sealed class Resender(
    DbConnectionFactory connections,
    ResendImages images,
    SnapImageStager stager,
    QueueTail tail,
    CouponRepository coupons,
    PiiProtector pii,
    ResendOptions options,
    PipelineOptions pipeline,
    ProcessIdentity identity,
    TimeProvider time,
    ILogger<Resender> logger)
{
    private sealed record Work(long ItemId, long CampaignId, string Kind, long CouponId, string? StampDuty, DateTime ValidUntil,
        string CouponStatus, byte[]? PhoneEnc, string? ImageFiles, int ImagesPurged, long NextAttempt, long ListId, int Seq);

    /// <summary>The item's failure when its resend was dropped because the recipient's phone had been purged.</summary>
    public const string PhonePurgedCode = "PHONE_PURGED";

    public const string PhonePurgedReason = "수신자 전화번호가 보존 기간 경과로 파기되어 재발송할 수 없습니다.";

    private sealed record Texts(string? SenderNumber, string? MmsTitle, string? MmsBody);

    /// <summary>Test seam: runs after the images are staged, before the queue transaction begins.</summary>
    internal Func<long, CancellationToken, Task>? BeforeQueueTransaction { get; set; }

    public async Task<int> StepAsync(CancellationToken ct)
    {
        var now = time.GetUtcNow().UtcDateTime;
        LeaseClaimed<Work> claim;
        await using (var c = await connections.OpenAsync(ct))
        {
            var campaigns = (await c.QueryAsync<long>(new CommandDefinition(
                $"SELECT id FROM campaigns WHERE status = '{CampaignStatus.Sending}'", cancellationToken: ct))).ToArray();
            if (campaigns.Length == 0)
            {
                return 0;
            }

            // Read after the claim commits, by our token (D-PIPE-20, LeaseClaim).
            claim = await LeaseClaim.ClaimAsync<Work>(c, identity, LeaseTable.DeliveryItems,
                $"""
                SELECT id FROM delivery_items
                WHERE campaign_id IN @campaigns AND status = '{ItemStatus.SendFailed}' AND resend_due_at <= @now AND (lease_until IS NULL OR lease_until < @now)
                ORDER BY resend_due_at LIMIT @batch FOR UPDATE SKIP LOCKED
                """, new { campaigns, now, batch = options.BatchSize },
                """
                SELECT d.id AS ItemId, d.campaign_id AS CampaignId, d.resend_kind AS Kind, k.id AS CouponId,
                       k.stamp_duty AS StampDuty, k.valid_until AS ValidUntil, k.status AS CouponStatus, r.phone_enc AS PhoneEnc,
                       m.image_files AS ImageFiles, m.images_purged_at IS NOT NULL AS ImagesPurged,
                       (SELECT COALESCE(MAX(a.attempt_no), 0) + 1 FROM messages a WHERE a.recipient_id = d.id AND a.campaign_id = d.campaign_id) AS NextAttempt,
                       d.list_id AS ListId, d.seq AS Seq
                FROM delivery_items d JOIN coupons k ON k.id = d.coupon_id JOIN recipient_list_rows r ON r.list_id = d.list_id AND r.seq = d.seq
                LEFT JOIN messages m ON m.id = d.message_id
                WHERE d.id IN @ids AND d.lease_token = @token
                """, now.AddSeconds(pipeline.LeaseSeconds), ct);
        }

        var token = claim.Token;
        var work = claim.Work;
        foreach (var group in work.GroupBy(w => w.CampaignId))
        {
            // Rolled back as a whole: released so the next pass tries again at once instead of after the lease.
            await LeaseClaim.ReleaseOnRollbackAsync(connections, LeaseTable.DeliveryItems, group.Select(w => w.ItemId), token,
                () => ResendCampaignAsync(group.Key, [.. group], token, ct),
                error => logger.LogWarning("Campaign {CampaignId}: resend batch rolled back ({Error}); released for the next pass", group.Key, error), ct);
        }

        return work.Count;
    }

    private async Task ResendCampaignAsync(long campaignId, List<Work> work, string token, CancellationToken ct)
    {
        var today = DateOnly.FromDateTime(Kst.Now(time));
        // A NULL phone was destroyed by the personal-data purge (D-RECON-4): nobody to send to; QueueAsync drops that resend.
        var usable = work.Where(w => w.PhoneEnc is not null && w.CouponStatus == CouponStatus.Unused && DateOnly.FromDateTime(w.ValidUntil) >= today).ToList();
        var staged = new Dictionary<long, string>();
        foreach (var w in usable)
        {
            try
            {
                staged[w.ItemId] = await images.CopyAsync(w.ImageFiles, w.ImagesPurged != 0, ct)
                    ?? await images.RedrawAsync(campaignId, await coupons.RevealNumberAsync(w.CouponId, ct) ?? throw new InvalidOperationException("coupon number not found"),
                        w.StampDuty, w.ValidUntil, ct);
            }
            catch (Exception ex) when (ex is IOException or InvalidOperationException or ArgumentException or Rendering.CouponRenderException)
            {
                // Not this time: the lease expires and the resend is tried again at the next pass.
                logger.LogWarning("Staging the resend image of item {ItemId} failed: {Error}", w.ItemId, ex.GetType().Name);
            }
        }

        try
        {
            await DeadlockRetry.RunAsync(() => QueueAsync(campaignId, work, usable, staged, token, today, ct), logger, "resend queue");
        }
        catch (MySqlException)
        {
            stager.Delete(staged.Values); // nothing was queued: the files belong to no message
            throw;
        }
    }

    private async Task QueueAsync(long campaignId, List<Work> work, List<Work> usable, Dictionary<long, string> staged, string token, DateOnly today, CancellationToken ct)
    {
        if (BeforeQueueTransaction is { } before)
        {
            await before(campaignId, ct);
        }

        var now = time.GetUtcNow().UtcDateTime;
        var byItem = usable.ToDictionary(w => w.ItemId);
        var ids = work.Select(w => w.ItemId).ToArray();
        // A campaign paused or cancelled since the claim gets no resend message; its resends stay due (leases released)
        // for after a resume (the tail's run gate, D-PIPE-24).
        var result = await tail.RunAsync(new QueueBatch(campaignId, token, ids, staged,
            $"""
            SELECT d.id FROM delivery_items d JOIN coupons k ON k.id = d.coupon_id
            WHERE d.id IN @ids AND d.lease_token = @token AND d.status = '{ItemStatus.SendFailed}' AND d.resend_due_at IS NOT NULL AND k.status = '{CouponStatus.Unused}'
            FOR UPDATE
            """,
            async (c, tx, ready, token2) =>
            {
                var texts = await c.QuerySingleAsync<Texts>(new CommandDefinition(
                    "SELECT sender_number AS SenderNumber, mms_title AS MmsTitle, mms_body AS MmsBody FROM campaigns WHERE id = @campaignId",
                    new { campaignId }, tx, cancellationToken: token2));
                return [.. ready.Select(id => new OutgoingMms
                {
                    Phone = pii.Decrypt(byItem[id].PhoneEnc!, RecipientsModule.PhoneColumn.PlaceOf(byItem[id].ListId, byItem[id].Seq)), // usable items only: never purged
                    CallbackNumber = texts.SenderNumber ?? "",
                    Title = texts.MmsTitle ?? "",
                    Body = texts.MmsBody ?? "",
                    ImagePaths = [staged[id]],
                    CampaignId = campaignId,
                    RecipientId = id,
                    CouponId = byItem[id].CouponId,
                    AttemptNo = (int)byItem[id].NextAttempt,
                    MessageType = KindOf(byItem[id]),
                })];
            },
            async (c, tx, queued, token2) =>
            {
                foreach (var (item, message) in queued)
                {
                    await DeliveryItemTransitions.ResendQueuedAsync(c, tx, item, message, KindOf(byItem[item]) == MessageType.AutoRetry, now, token2);
                }
            })
        {
            AlsoInTransaction = async (c, tx, _, token2) =>
            {
                // Coupon no longer usable: the resend is dropped and the item stays SEND_FAILED (final again).
                await DeliveryItemTransitions.DropResendAsync(c, tx, ids, token, now, token2, onlyUnusableCoupon: true, todayKst: today.ToDateTime(TimeOnly.MinValue));
                var purged = work.Where(w => w.PhoneEnc is null).Select(w => w.ItemId).ToArray();
                if (purged.Length > 0)
                {
                    // The recipient's phone was purged (D-RECON-4): the resend is not possible. The item stays SEND_FAILED with this
                    // reason (its message keeps the delivery code), and the code is no resend-recommended one, so 실패 건 재시도 skips it (D-PIPE-26).
                    var dropped = await DeliveryItemTransitions.DropResendAsync(c, tx, purged, token, now, token2, failure: (PhonePurgedCode, PhonePurgedReason));
                    logger.LogWarning("Campaign {CampaignId}: {Count} resends dropped, the recipients' phone numbers were purged", campaignId, dropped);
                }
            },
        }, ct);
        if (result.Outcome == QueueTailOutcome.Refused)
        {
            // The gateway would refuse these messages again: drop the resends (the items keep their failure) rather than retry for ever.
            await using var c = await connections.OpenAsync(ct);
            await DeliveryItemTransitions.DropResendAsync(c, null, result.Ready, token, now, ct);
            logger.LogWarning("Campaign {CampaignId}: {Count} resends refused by validation ({Error}); dropped", campaignId, result.Ready.Count, result.Refusal!.GetType().Name);
        }
        else if (result is { Outcome: QueueTailOutcome.Queued, Ready.Count: > 0 })
        {
            logger.LogInformation("Campaign {CampaignId}: {Count} resends queued", campaignId, result.Ready.Count);
        }
    }

    private static string KindOf(Work w) => w.Kind == MessageType.BulkRetry ? MessageType.BulkRetry : MessageType.AutoRetry;
}
