using CouponDesk.Data;
using CouponDesk.Features.Messages;
using CouponDesk.Features.Privacy;

namespace CouponDesk.Features.Reconciliation;

/// <summary>
/// Destroys the phone number (ciphertext) a message went to (spec §7.5 "phones on messages") once the retention after
/// its coupon finished has passed (<see cref="FinishedItems"/>); a message without a coupon counts from its result.
/// Messages still waiting for the agent keep theirs, and so do campaigns on 보존 연장. The agent's own month tables are
/// scrubbed by <see cref="AgentLogScrub"/>.
/// </summary>
public sealed class MessagePiiPurge(DbConnectionFactory connections) : IPiiPurgeStep
{
    public string Name => "messages.phone";

    public Task PurgeAsync(PiiPurgeContext context, CancellationToken cancellationToken) => PurgeBatches.ByIdAsync(
        connections,
        $"""
        SELECT m.id FROM messages m LEFT JOIN coupons k ON k.id = m.coupon_id
        WHERE m.phone_enc IS NOT NULL AND m.status <> '{MessageStatus.Ready}'
          AND ((m.coupon_id IS NOT NULL AND {FinishedItems.CouponFinished}) OR (m.coupon_id IS NULL AND COALESCE(m.result_at, m.updated_at) < @cutoff))
          AND {LegalHolds.NotHeld("m.campaign_id")}
        """,
        "UPDATE messages SET phone_enc = NULL WHERE id IN @ids AND phone_enc IS NOT NULL",
        FinishedItems.Args(context.NowUtc, context.RetentionAfterFinish),
        context,
        cancellationToken);
}

/// <summary>Coupon numbers typed in for a settlement: destroyed the retention after their cancel got its final answer (last 4 kept).</summary>
public sealed class InDoubtCouponNumberPurge(DbConnectionFactory connections) : IPiiPurgeStep
{
    public string Name => "in_doubt.coupon_numbers";

    public Task PurgeAsync(PiiPurgeContext context, CancellationToken cancellationToken) => PurgeBatches.ByIdAsync(
        connections,
        $"""
        SELECT x.id FROM in_doubt_cancels x LEFT JOIN issuance_orders o ON o.id = x.order_id
        WHERE x.status IN ('DONE', 'REFUSED') AND x.updated_at < @cutoff AND x.coupon_number_enc IS NOT NULL
          AND {LegalHolds.NotHeld("o.campaign_id")}
        """,
        "UPDATE in_doubt_cancels SET coupon_number_enc = NULL, coupon_number_index = NULL WHERE id IN @ids AND coupon_number_enc IS NOT NULL",
        new { now = context.NowUtc, cutoff = context.NowUtc - context.RetentionAfterFinish },
        context,
        cancellationToken);
}
