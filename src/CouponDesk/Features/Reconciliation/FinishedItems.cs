using CouponDesk.Features.Campaigns;
using CouponDesk.Features.Coupons;

namespace CouponDesk.Features.Reconciliation;

/// <summary>
/// When a delivery item is "finished" for the retention rule of spec §7.5: its coupon used or cancelled (at its last
/// change), or expired (the end of its KST validity day), or — for an item that never got a coupon — its campaign
/// finished (run finished, or the campaign ended cancelled/failed). SQL fragments over <c>k</c> (coupons),
/// <c>cp</c> (campaigns) and <c>run</c> (campaign_runs), with <c>@cutoff</c> (UTC) and <c>@cutoffDay</c> (KST date); <see cref="Args"/> also gives <c>@now</c> for the legal-hold check.
/// </summary>
public static class FinishedItems
{
    /// <summary>The coupon <c>k</c> ended before the cutoff. Unused and partly used coupons are still live.</summary>
    public const string CouponFinished =
        $"((k.status IN ('{CouponStatus.Used}', '{CouponStatus.Cancelled}') AND k.updated_at < @cutoff) OR k.valid_until < @cutoffDay)";

    /// <summary>The campaign <c>cp</c> (with its run <c>run</c>) ended before the cutoff.</summary>
    public const string CampaignFinished =
        $"((run.finished_at IS NOT NULL AND run.finished_at < @cutoff) OR (cp.status IN ('{CampaignStatus.Cancelled}', '{CampaignStatus.Failed}', '{CampaignStatus.Completed}', '{CampaignStatus.PartiallyFailed}') AND cp.updated_at < @cutoff) OR (cp.deleted_at IS NOT NULL AND cp.deleted_at < @cutoff))";

    /// <summary>The delivery item <c>d</c> (with its coupon <c>k</c>, campaign <c>cp</c> and run <c>run</c> joined) ended before the cutoff.</summary>
    public const string ItemFinished = $"((d.coupon_id IS NOT NULL AND {CouponFinished}) OR (d.coupon_id IS NULL AND {CampaignFinished}))";

    /// <summary>
    /// SQL condition "the delivery item <paramref name="itemIdSql"/> exists, ended before the cutoff and its campaign is
    /// not on hold" — for rows that hang off an item (C/S memos, number changes).
    /// </summary>
    public static string ItemFinishedAndNotHeld(string itemIdSql) => $"""
        EXISTS (SELECT 1 FROM delivery_items d JOIN campaigns cp ON cp.id = d.campaign_id
                LEFT JOIN campaign_runs run ON run.campaign_id = d.campaign_id LEFT JOIN coupons k ON k.id = d.coupon_id
                WHERE d.id = {itemIdSql} AND {ItemFinished} AND {Privacy.LegalHolds.NotHeld("d.campaign_id")})
        """;

    public static object Args(DateTime nowUtc, TimeSpan retention)
    {
        var cutoff = nowUtc - retention;
        return new { now = nowUtc, cutoff, cutoffDay = Shared.Time.Kst.ToKst(cutoff).Date };
    }
}
