using CouponDesk.Data;
using CouponDesk.Features.Coupons;
using CouponDesk.Features.Pipeline.Resends;
using CouponDesk.Integrations.Snap;
using Dapper;

namespace CouponDesk.Features.CustomerService;

/// <summary>
/// 이미지 보기 (spec §3.4.2): the coupon JPEG as the recipient got it — the newest staged file of the item's messages
/// — or, once the rendered-image purge removed it, the same coupon drawn again from the campaign's parts.
/// </summary>
public sealed class CsImages(DbConnectionFactory connections, ResendImages images, SnapImageStager stager, CouponRepository coupons)
{
    public async Task<byte[]?> GetAsync(long itemId, CancellationToken ct)
    {
        await using var c = await connections.OpenAsync(ct);
        var item = await c.QuerySingleOrDefaultAsync<(long CampaignId, long? CouponId)>(new CommandDefinition(
            "SELECT campaign_id, coupon_id FROM delivery_items WHERE id = @itemId", new { itemId }, cancellationToken: ct));
        if (item.CouponId is not { } couponId)
        {
            return null;
        }

        var files = await c.QueryAsync<string?>(new CommandDefinition(
            "SELECT image_files FROM messages WHERE recipient_id = @itemId AND coupon_id = @couponId AND images_purged_at IS NULL ORDER BY id DESC",
            new { itemId, couponId }, cancellationToken: ct));
        foreach (var first in files.Select(f => f?.Split(',', StringSplitOptions.RemoveEmptyEntries).FirstOrDefault()).OfType<string>())
        {
            try
            {
                if (stager.IsStaged(first) && File.Exists(first))
                {
                    return await File.ReadAllBytesAsync(first, ct);
                }
            }
            catch (FileNotFoundException)
            {
                // purged between the check and the read: draw it
            }
        }

        var coupon = await coupons.FindByIdAsync(couponId, ct);
        var number = await coupons.RevealNumberAsync(couponId, ct);
        return coupon is null || number is null
            ? null
            : await images.DrawAsync(item.CampaignId, number, coupon.StampDuty, coupon.ValidUntil.ToDateTime(TimeOnly.MinValue), ct);
    }
}
