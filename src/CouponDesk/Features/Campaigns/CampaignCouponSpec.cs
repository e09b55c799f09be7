using CouponDesk.Features.Campaigns.Products;
using CouponDesk.Features.Products;
using CouponDesk.Features.Rendering;
using CouponDesk.Shared.Time;

namespace CouponDesk.Features.Campaigns;

/// <summary>
/// Turns a campaign's product snapshot (and banner) into the renderer's template spec: the one place that decides
/// what a campaign's coupon image shows. The validity date is the one the coupon will get when sent at
/// the send time (type D: send date in KST + days; type E: the fixed date).
/// </summary>
public sealed class CampaignCouponSpec(CampaignStore store, ProductImageStore productImages)
{
    public async Task<CouponTemplateSpec?> BuildAsync(CampaignRecord record, DateTime sendAtUtc, CancellationToken cancellationToken)
    {
        var product = CampaignViews.Snapshot(record);
        if (product is null || ValidUntil(product, sendAtUtc) is not { } validUntil)
        {
            return null;
        }

        var productImage = await productImages.GetBytesAsync(product.GoodsId, ProductImageSize.Large, cancellationToken)
            ?? await productImages.GetBytesAsync(product.GoodsId, ProductImageSize.Medium, cancellationToken);
        var banner = record.BannerId is null ? null : (await store.GetBannerAsync(record.Id, cancellationToken))?.Content;
        var isAmount = string.Equals(product.CouponType, "AMOUNT", StringComparison.OrdinalIgnoreCase);
        return new CouponTemplateSpec(
            product.Name,
            product.ExchangePlace ?? "",
            validUntil,
            isAmount ? CouponType.Amount : CouponType.Barcode,
            isAmount ? product.ListPrice : null,
            productImage,
            banner);
    }

    public static DateOnly? ValidUntil(ProductSnapshot product, DateTime sendAtUtc) =>
        product.ValidDays is { } days ? DateOnly.FromDateTime(Kst.ToKst(sendAtUtc)).AddDays(days) : product.ValidUntil;
}
