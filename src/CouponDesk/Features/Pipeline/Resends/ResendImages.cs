using CouponDesk.Data;
using CouponDesk.Features.Products;
using CouponDesk.Features.Rendering;
using CouponDesk.Integrations.Snap;
using Dapper;

namespace CouponDesk.Features.Pipeline.Resends;

/// <summary>
/// The image of a resend: the same coupon, so the same picture. The failed message's staged file is copied to a new
/// staged name (each message owns its files, so the purge of the old message never removes the new one's image); when
/// it was already purged (a 실패 건 재시도 days later) the coupon is drawn again from the campaign's parts. Resends are
/// few, so a template is built per campaign and batch, not cached.
/// </summary>
public sealed class ResendImages(DbConnectionFactory connections, CouponRenderer renderer, ProductImageStore productImages, SnapImageStager stager)
{
    /// <summary>Stages a copy of <paramref name="previousFiles"/>' first image if it still exists; null when it is gone.</summary>
    public async Task<string?> CopyAsync(string? previousFiles, bool purged, CancellationToken ct)
    {
        var first = previousFiles?.Split(',', StringSplitOptions.RemoveEmptyEntries).FirstOrDefault();
        if (purged || first is null || !stager.IsStaged(first) || !File.Exists(first))
        {
            return null;
        }

        try
        {
            return await stager.StageFileAsync(first, ct);
        }
        catch (FileNotFoundException)
        {
            return null; // purged between the check and the copy
        }
    }

    /// <summary>Draws the coupon again (same parts as the first drawing) and stages it.</summary>
    public async Task<string> RedrawAsync(long campaignId, string couponNumber, string? stampDuty, DateTime validUntil, CancellationToken ct) =>
        await stager.StageAsync(await DrawAsync(campaignId, couponNumber, stampDuty, validUntil, ct), ct);

    /// <summary>Draws the coupon again as JPEG bytes (C/S 이미지 보기 of a coupon whose file was purged).</summary>
    public async Task<byte[]> DrawAsync(long campaignId, string couponNumber, string? stampDuty, DateTime validUntil, CancellationToken ct)
    {
        Parts parts;
        byte[]? banner = null;
        await using (var c = await connections.OpenAsync(ct))
        {
            parts = await c.QuerySingleAsync<Parts>(new CommandDefinition(
                """
                SELECT goods_id AS GoodsId, product_name AS ProductName, exchange_place AS ExchangePlace, coupon_type AS CouponType,
                       list_price AS ListPrice, use_banner AS UseBanner, banner_id AS BannerId
                FROM campaigns WHERE id = @campaignId
                """, new { campaignId }, cancellationToken: ct));
            if (parts is { UseBanner: true, BannerId: { } bannerId })
            {
                banner = await c.ExecuteScalarAsync<byte[]?>(new CommandDefinition("SELECT content FROM campaign_banners WHERE id = @bannerId", new { bannerId }, cancellationToken: ct));
            }
        }

        var product = parts.GoodsId is null ? null : await productImages.GetBytesAsync(parts.GoodsId, cancellationToken: ct);
        var type = parts.CouponType == "AMOUNT" ? CouponType.Amount : CouponType.Barcode;
        var spec = new CouponTemplateSpec(parts.ProductName ?? "", parts.ExchangePlace ?? "", DateOnly.FromDateTime(validUntil), type,
            type == CouponType.Amount ? parts.ListPrice : null, product, banner);
        using var template = renderer.CreateTemplate(spec);
        return template.Render(couponNumber, stampDuty).Jpeg;
    }

#pragma warning disable CA1812 // instantiated by Dapper
    private sealed record Parts(string? GoodsId, string? ProductName, string? ExchangePlace, string? CouponType, int? ListPrice, bool UseBanner, long? BannerId);
#pragma warning restore CA1812
}
