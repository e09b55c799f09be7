using CouponDesk.Features.Audit;
using CouponDesk.Hosting;
using CouponDesk.Security;
using CouponDesk.Web.Errors;

namespace CouponDesk.Features.Campaigns.Banners;

/// <summary>The banner of a draft (spec §3.2.1): upload (raw body, its own size limit), remove, read. Every change is audited.</summary>
public sealed class BannerEndpoints : IEndpointModule
{
    public void Map(IEndpointRouteBuilder app)
    {
        // The upload reads its own body with its own limit.
        var group = app.MapGroup("/api/campaigns").WithTags("Campaigns");
        group.MapPut("/{id:long}/banner", UploadBannerAsync).RequireAuthorization(Policies.RegisterCampaign);
        group.MapDelete("/{id:long}/banner", RemoveBannerAsync).RequireAuthorization(Policies.RegisterCampaign);
        group.MapGet("/{id:long}/banner", GetBannerAsync).RequireAuthorization(Policies.ViewCampaigns);
    }

    private static async Task<IResult> UploadBannerAsync(long id, HttpContext http, CampaignStore store, BannerImageProcessor processor, CampaignOptions options, ICampaignAudit audit, CancellationToken ct)
    {
        var record = await store.GetAsync(id, ct);
        if (record is null)
        {
            return CampaignRefusals.NotFound.ToResult();
        }

        if (record.Status != CampaignStatus.Draft)
        {
            return CampaignRefusals.NotDraft.ToResult();
        }

        try
        {
            var data = await ReadLimitedAsync(http.Request, options.MaxBannerBytes, processor.SizeMessage, ct);
            var banner = processor.Process(data);
            var actor = AuditActor.From(http);
            var outcome = await store.SaveBannerAsync(id, banner, actor.UserId, ct);
            if (outcome.Refusal is { } refused)
            {
                return refused.ToResult();
            }

            await audit.RecordAsync(new CampaignAuditEvent(CampaignAuditEvents.BannerUploaded, id, actor, new Dictionary<string, object?>
            {
                ["width"] = banner.Width,
                ["height"] = banner.Height,
                ["bytes"] = banner.Content.Length,
            }), ct);
            return Results.Ok(new { width = banner.Width, height = banner.Height, bytes = banner.Content.Length, contentType = "image/jpeg" });
        }
        catch (BannerRefusedException refused)
        {
            return refused.Problem.ToResult();
        }
    }

    private static Task<IResult> RemoveBannerAsync(long id, HttpContext http, CampaignStore store, ICampaignAudit audit, CancellationToken ct) =>
        AuditedChange.RunAsync(id, http, audit, CampaignAuditEvents.BannerRemoved, user => store.RemoveBannerAsync(id, user, ct), () => Task.FromResult(Results.NoContent()), ct);

    private static async Task<IResult> GetBannerAsync(long id, CampaignStore store, CancellationToken ct) =>
        await store.GetBannerAsync(id, ct) is { } banner
            ? Results.File(banner.Content, "image/jpeg")
            : ApiProblem.NotFound("배너 이미지가 없습니다.").ToResult();

    /// <summary>Reads a raw body, refusing a declared or actual size over the limit without reading the rest.</summary>
    private static async Task<byte[]> ReadLimitedAsync(HttpRequest request, long limit, string tooLarge, CancellationToken ct)
    {
        var problem = new ApiProblem(StatusCodes.Status413PayloadTooLarge, "banner_too_large", "Payload too large", tooLarge);
        if (request.ContentLength > limit)
        {
            throw new BannerRefusedException(problem);
        }

        using var buffer = new MemoryStream();
        var chunk = new byte[81920];
        try
        {
            int read;
            while ((read = await request.Body.ReadAsync(chunk, ct)) > 0)
            {
                if (buffer.Length + read > limit)
                {
                    throw new BannerRefusedException(problem);
                }

                buffer.Write(chunk, 0, read);
            }
        }
        catch (BadHttpRequestException ex) when (ex.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            throw new BannerRefusedException(problem);
        }

        return buffer.ToArray();
    }
}
