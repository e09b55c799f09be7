using CouponDesk.Data;
using CouponDesk.Features.Privacy;

namespace CouponDesk.Features.Reconciliation;

/// <summary>
/// Destroys a coupon's full number (ciphertext and blind index; spec §7.5) 90 days after the coupon finished — used,
/// cancelled or expired (<see cref="FinishedItems.CouponFinished"/>) — keeping <c>coupon_number_last4</c> for the
/// records. Campaigns on 보존 연장 keep theirs; <see cref="ExchangePushIndexPurge"/> then clears the push log's copy.
/// A purged coupon is shown as <c>**** 1234</c> and can no longer be redrawn, resent or asked about at COUFUN.
/// </summary>
public sealed class CouponNumberPurge(DbConnectionFactory connections) : IPiiPurgeStep
{
    public string Name => "coupons.number";

    public Task PurgeAsync(PiiPurgeContext context, CancellationToken cancellationToken) => PurgeBatches.ByIdAsync(
        connections,
        $"""
        SELECT k.id FROM coupons k LEFT JOIN issuance_orders o ON o.id = k.order_ref
        WHERE k.coupon_number_enc IS NOT NULL AND {FinishedItems.CouponFinished} AND {LegalHolds.NotHeld("o.campaign_id")}
        """,
        "UPDATE coupons SET coupon_number_enc = NULL, coupon_number_index = NULL WHERE id IN @ids AND coupon_number_enc IS NOT NULL",
        FinishedItems.Args(context.NowUtc, context.RetentionAfterFinish),
        context,
        cancellationToken);
}

/// <summary>
/// The exchange-push log keeps a blind index of the coupon number it was sent (to find the coupon): cleared 90 days after
/// the push once the coupon's own number is gone (or the push named no coupon of ours). Counted per push row.
/// </summary>
public sealed class ExchangePushIndexPurge(DbConnectionFactory connections) : IPiiPurgeStep
{
    public string Name => "coupon_pushes.number_index";

    public Task PurgeAsync(PiiPurgeContext context, CancellationToken cancellationToken) => PurgeBatches.ByIdAsync(
        connections,
        """
        SELECT p.id FROM coupon_exchange_pushes p LEFT JOIN coupons k ON k.id = p.coupon_id
        WHERE p.coupon_number_index IS NOT NULL AND p.received_at < @cutoff AND k.coupon_number_enc IS NULL
        """,
        "UPDATE coupon_exchange_pushes SET coupon_number_index = NULL WHERE id IN @ids AND coupon_number_index IS NOT NULL",
        new { cutoff = context.NowUtc - context.RetentionAfterFinish },
        context,
        cancellationToken);
}
