using CouponDesk.Features.Rendering;
using CouponDesk.Hosting;
using CouponDesk.Security;
using CouponDesk.Shared.Time;
using CouponDesk.Web.Errors;

namespace CouponDesk.Features.Campaigns;

/// <summary>MMS 미리보기 (spec §3.2.2): the message with its byte counts, and the coupon image as it will be drawn.</summary>
public sealed class PreviewEndpoints : IEndpointModule
{
    public void Map(IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/campaigns").WithTags("Campaigns");
        group.MapGet("/{id:long}/preview", PreviewAsync).RequireAuthorization(Policies.ViewCampaigns);
        group.MapGet("/{id:long}/preview/image", PreviewImageAsync).RequireAuthorization(Policies.ViewCampaigns);
    }

    /// <summary>
    /// MMS 미리보기 (spec §3.2.2): the message as it will be sent, with byte counts against the gateway limits, and
    /// the coupon fields the image shows; <c>image</c> links to the rendered coupon (<see cref="PreviewImageAsync"/>).
    /// </summary>
    private static async Task<IResult> PreviewAsync(long id, CampaignStore store, SendTimeRules rules, CancellationToken ct)
    {
        var record = await store.GetAsync(id, ct);
        if (record is null)
        {
            return CampaignRefusals.NotFound.ToResult();
        }

        var title = record.MmsTitle ?? "";
        var body = record.MmsBody ?? "";
        var titleMeasure = EucKrText.Measure(title);
        var bodyMeasure = EucKrText.Measure(body);
        var sendAt = record.SendMode == SendModes.Now ? rules.EarliestUtc(record.RecipientCount) : record.ScheduledAt;
        var product = CampaignViews.Snapshot(record);
        return Results.Ok(new
        {
            mms = new
            {
                senderNumber = record.SenderNumber,
                title,
                body,
                titleBytes = titleMeasure.Bytes,
                titleMaxBytes = CampaignValidator.TitleMaxBytes,
                bodyBytes = bodyMeasure.Bytes,
                bodyMaxBytes = CampaignValidator.BodyMaxBytes,
                unencodable = titleMeasure.Unencodable.Concat(bodyMeasure.Unencodable).Distinct().ToList(),
                withinLimits = titleMeasure.Unencodable.Count == 0 && bodyMeasure.Unencodable.Count == 0
                    && titleMeasure.Bytes <= CampaignValidator.TitleMaxBytes && bodyMeasure.Bytes <= CampaignValidator.BodyMaxBytes,
            },
            coupon = new
            {
                productName = product?.Name,
                exchangePlace = product?.ExchangePlace,
                validity = CampaignViews.CouponValidity(product, sendAt),
                barcodeNumber = "0000 0000 0000",
                hasBanner = record.BannerId is not null,
                bannerUrl = record.BannerId is not null ? $"/api/campaigns/{id}/banner" : null,
            },
            image = product is null ? null : $"/api/campaigns/{id}/preview/image",
            sendAt = sendAt is { } at ? Kst.FormatMinute(at) : null,
        });
    }

    /// <summary>The coupon image exactly as the renderer will draw it for this campaign, with a sample barcode.</summary>
    private static async Task<IResult> PreviewImageAsync(long id, CampaignStore store, CampaignCouponSpec specs, CouponRenderer renderer, SendTimeRules rules, TimeProvider time, CancellationToken ct)
    {
        var record = await store.GetAsync(id, ct);
        if (record is null)
        {
            return CampaignRefusals.NotFound.ToResult();
        }

        var sendAt = (record.SendMode == SendModes.Now ? rules.EarliestUtc(record.RecipientCount) : record.ScheduledAt)
            ?? time.GetUtcNow().UtcDateTime;
        var spec = await specs.BuildAsync(record, sendAt, ct);
        if (spec is null)
        {
            return ApiProblem.Conflict("preview_needs_product", "상품을 선택하면 쿠폰 이미지를 미리 볼 수 있습니다.").ToResult();
        }

        try
        {
            return Results.File(renderer.RenderPreview(spec).Jpeg, "image/jpeg");
        }
        catch (CouponRenderException ex)
        {
            return ApiProblem.Validation(ex.Field, ex.Message).ToResult();
        }
    }
}
