using CouponDesk.Features.Audit;
using CouponDesk.Features.Campaigns.Banners;
using CouponDesk.Features.Rendering;
using CouponDesk.Hosting;
using CouponDesk.Security;
using CouponDesk.Security.Pii;
using CouponDesk.Shared.Text;
using CouponDesk.Shared.Time;
using CouponDesk.Web.Errors;
using Microsoft.AspNetCore.Mvc;

namespace CouponDesk.Features.Campaigns;

/// <summary>
/// 발송등록 (spec §3.2): create and edit a draft, banner, preview, submit (DRAFT → SCHEDULED with the cost estimate),
/// 예약 해제 (SCHEDULED → DRAFT), cancel (SCHEDULED → CANCELLED, P7), delete a draft. Every change is audited.
/// </summary>
public sealed class CampaignEndpoints : IEndpointModule
{
    public void Map(IEndpointRouteBuilder app)
    {
        // JSON bodies here are a form of a few KB; Kestrel refuses anything over 256 KB while reading it. The banner
        // upload reads its own body with its own limit.
        var group = app.MapGroup("/api/campaigns").WithTags("Campaigns");
        var jsonLimit = new RequestSizeLimitAttribute(256 * 1024);
        group.MapPost("", CreateAsync).RequireAuthorization(Policies.RegisterCampaign).WithMetadata(jsonLimit);
        group.MapGet("/{id:long}", GetAsync).RequireAuthorization(Policies.ViewCampaigns);
        group.MapPut("/{id:long}", UpdateAsync).RequireAuthorization(Policies.RegisterCampaign).WithMetadata(jsonLimit);
        group.MapDelete("/{id:long}", DeleteAsync).RequireAuthorization(Policies.RegisterCampaign);
        group.MapPost("/{id:long}/submit/check", CheckSubmitAsync).RequireAuthorization(Policies.RegisterCampaign);
        group.MapPost("/{id:long}/submit", SubmitAsync).RequireAuthorization(Policies.RegisterCampaign).WithMetadata(jsonLimit);
        group.MapPost("/{id:long}/unschedule", UnscheduleAsync).RequireAuthorization(Policies.RegisterCampaign);
        group.MapPost("/{id:long}/cancel", CancelAsync).RequireAuthorization(Policies.CancelCampaign).WithMetadata(jsonLimit);
        group.MapPut("/{id:long}/banner", UploadBannerAsync).RequireAuthorization(Policies.RegisterCampaign);
        group.MapDelete("/{id:long}/banner", RemoveBannerAsync).RequireAuthorization(Policies.RegisterCampaign);
        group.MapGet("/{id:long}/banner", GetBannerAsync).RequireAuthorization(Policies.ViewCampaigns);
        group.MapGet("/{id:long}/preview", PreviewAsync).RequireAuthorization(Policies.ViewCampaigns);
        group.MapGet("/{id:long}/preview/image", PreviewImageAsync).RequireAuthorization(Policies.ViewCampaigns);
    }

    private static async Task<IResult> CreateAsync(CampaignRequest request, HttpContext http, CampaignValidator validator, CampaignStore store, Deps deps, CancellationToken ct)
    {
        var actor = AuditActor.From(http);
        var (draft, errors, product) = await validator.CheckFormAsync(request, actor.Login, ct);
        if (errors.Any)
        {
            return errors.ToProblem().ToResult();
        }

        var id = await store.InsertAsync(draft, product, actor.UserId, ct);
        await deps.Audit.RecordAsync(new CampaignAuditEvent(CampaignAuditEvents.Created, id, actor, new Dictionary<string, object?> { ["eventName"] = draft.EventName }), ct);
        var record = await store.GetAsync(id, ct);
        return Results.Created($"/api/campaigns/{id}", CampaignViews.ToResponse(record!, deps.Pii, deps.Rules));
    }

    private static async Task<IResult> GetAsync(long id, CampaignStore store, Deps deps, CancellationToken ct) =>
        await store.GetAsync(id, ct) is { } record
            ? Results.Ok(CampaignViews.ToResponse(record, deps.Pii, deps.Rules))
            : NotFound().ToResult();

    private static async Task<IResult> UpdateAsync(long id, CampaignRequest request, HttpContext http, CampaignValidator validator, CampaignStore store, Deps deps, CancellationToken ct)
    {
        var existing = await store.GetAsync(id, ct);
        if (existing is null)
        {
            return NotFound().ToResult();
        }

        if (existing.Status != CampaignStatus.Draft)
        {
            return Refusal(ChangeOutcome.WrongState).ToResult();
        }

        var actor = AuditActor.From(http);
        var (draft, errors, product) = await validator.CheckFormAsync(request, existing.SalesManager, ct);
        if (errors.Any)
        {
            return errors.ToProblem().ToResult();
        }

        var outcome = await store.UpdateDraftAsync(id, request.Version, draft, product, actor.UserId, ct);
        if (outcome != ChangeOutcome.Done)
        {
            return Refusal(outcome).ToResult();
        }

        await deps.Audit.RecordAsync(new CampaignAuditEvent(CampaignAuditEvents.Updated, id, actor, new Dictionary<string, object?>()), ct);
        return Results.Ok(CampaignViews.ToResponse((await store.GetAsync(id, ct))!, deps.Pii, deps.Rules));
    }

    private static async Task<IResult> DeleteAsync(long id, HttpContext http, CampaignStore store, Deps deps, CancellationToken ct)
    {
        var actor = AuditActor.From(http);
        var outcome = await store.DeleteDraftAsync(id, actor.UserId, ct);
        if (outcome != ChangeOutcome.Done)
        {
            return Refusal(outcome).ToResult();
        }

        await deps.Audit.RecordAsync(new CampaignAuditEvent(CampaignAuditEvents.Deleted, id, actor, new Dictionary<string, object?>()), ct);
        return Results.NoContent();
    }

    private static async Task<IResult> CheckSubmitAsync(long id, CampaignStore store, CampaignValidator validator, Deps deps, CancellationToken ct)
    {
        var prepared = await PrepareSubmitAsync(id, store, validator, deps, ct);
        return prepared.Problem is { } problem ? problem.ToResult() : Results.Ok(prepared.Check);
    }

    private static async Task<IResult> SubmitAsync(long id, SubmitRequest? request, HttpContext http, CampaignStore store, CampaignValidator validator, Deps deps, CancellationToken ct)
    {
        var prepared = await PrepareSubmitAsync(id, store, validator, deps, ct);
        if (prepared.Problem is { } problem)
        {
            return problem.ToResult();
        }

        var check = prepared.Check!;
        var record = prepared.Record!;
        if (request?.Version is { } expected && expected != record.Version)
        {
            return Refusal(ChangeOutcome.VersionConflict).ToResult();
        }

        var actor = AuditActor.From(http);
        var outcome = await store.ScheduleAsync(
            id, record.Version, check.SendAtUtc, prepared.StartAtUtc, prepared.Product!, record.RecipientCount, check.CostEstimate.TotalListPrice, actor.UserId, ct);
        if (outcome != ChangeOutcome.Done)
        {
            // The draft changed between the checks and the update (a new list, an edit): check again.
            return Refusal(outcome == ChangeOutcome.Done ? ChangeOutcome.VersionConflict : outcome).ToResult();
        }

        await deps.Audit.RecordAsync(new CampaignAuditEvent(CampaignAuditEvents.Submitted, id, actor, new Dictionary<string, object?>
        {
            ["sendAt"] = check.SendAt,
            ["recipients"] = record.RecipientCount,
            ["goodsId"] = record.GoodsId,
            ["totalListPrice"] = check.CostEstimate.TotalListPrice,
        }), ct);
        var scheduled = await store.GetAsync(id, ct);
        return Results.Ok(new SubmitResponse(CampaignViews.ToResponse(scheduled!, deps.Pii, deps.Rules), check.CostEstimate, "발송 요청이 완료되었습니다.", check.Warnings));
    }

    private static async Task<PreparedSubmit> PrepareSubmitAsync(long id, CampaignStore store, CampaignValidator validator, Deps deps, CancellationToken ct)
    {
        var record = await store.GetAsync(id, ct);
        if (record is null)
        {
            return new PreparedSubmit(NotFound());
        }

        if (record.Status != CampaignStatus.Draft)
        {
            return new PreparedSubmit(Refusal(ChangeOutcome.WrongState));
        }

        var (errors, sendAt, product, warnings) = await validator.CheckSubmitAsync(store.ToDraft(record), record.BannerId is not null, record.RecipientCount, ct);
        if (errors.Any)
        {
            return new PreparedSubmit(errors.ToProblem());
        }

        var now = deps.Time.GetUtcNow().UtcDateTime;
        // The same calculator the starter uses (measured rate, queue ahead), so the stored start agrees with it.
        var start = sendAt - (await deps.Rules.LeadAsync(record.RecipientCount, sendAt, ct)).Lead;
        start = start < now ? now : start;
        var cost = CampaignViews.Cost(product!, record.RecipientCount);
        var sendText = Kst.FormatMinute(sendAt);
        // The sentence of spec §3.2.4 with the particle the product name takes; the cost is its own line (cost.Text).
        var confirm = $"{sendText}에 {KoreanParticles.WithObject(product!.Name)} 총 {record.RecipientCount:N0}개의 휴대폰 번호로 발송이 됩니다. 정말 발송하시겠습니까?";
        return new PreparedSubmit(null)
        {
            Record = record,
            Product = product,
            StartAtUtc = start,
            Check = new SubmitCheckResponse(sendText, sendAt, Kst.FormatMinute(start), cost, confirm, warnings),
        };
    }

    private static async Task<IResult> UnscheduleAsync(long id, HttpContext http, CampaignStore store, Deps deps, CancellationToken ct)
    {
        var actor = AuditActor.From(http);
        var outcome = await store.UnscheduleAsync(id, actor.UserId, ct);
        if (outcome != ChangeOutcome.Done)
        {
            return Refusal(outcome).ToResult();
        }

        await deps.Audit.RecordAsync(new CampaignAuditEvent(CampaignAuditEvents.Unscheduled, id, actor, new Dictionary<string, object?>()), ct);
        return Results.Ok(CampaignViews.ToResponse((await store.GetAsync(id, ct))!, deps.Pii, deps.Rules));
    }

    private static async Task<IResult> CancelAsync(long id, CancelRequest request, HttpContext http, CampaignStore store, Deps deps, CancellationToken ct)
    {
        var reason = request.Reason?.Trim();
        if (string.IsNullOrEmpty(reason))
        {
            return ApiProblem.Validation("reason", "취소 사유를 입력해 주세요.").ToResult();
        }

        if (reason.Length > 200)
        {
            return ApiProblem.Validation("reason", "취소 사유는 200자까지 입력할 수 있습니다.").ToResult();
        }

        if (Web.Validation.FreeText.Check(reason, "취소 사유") is { } badReason)
        {
            return ApiProblem.Validation("reason", badReason).ToResult();
        }

        var actor = AuditActor.From(http);
        var outcome = await store.CancelScheduledAsync(id, reason, actor.UserId, ct);
        if (outcome != ChangeOutcome.Done)
        {
            return (outcome == ChangeOutcome.WrongState
                ? ApiProblem.Conflict("campaign_not_cancellable", "예약 상태의 발송 건만 일괄취소할 수 있습니다.")
                : Refusal(outcome)).ToResult();
        }

        await deps.Audit.RecordAsync(new CampaignAuditEvent(CampaignAuditEvents.Cancelled, id, actor, new Dictionary<string, object?> { ["reason"] = reason }), ct);
        return Results.Ok(new { message = "발송이 취소되었습니다.", campaign = CampaignViews.ToResponse((await store.GetAsync(id, ct))!, deps.Pii, deps.Rules) });
    }

    private static async Task<IResult> UploadBannerAsync(long id, HttpContext http, CampaignStore store, BannerImageProcessor processor, CampaignOptions options, Deps deps, CancellationToken ct)
    {
        var record = await store.GetAsync(id, ct);
        if (record is null)
        {
            return NotFound().ToResult();
        }

        if (record.Status != CampaignStatus.Draft)
        {
            return Refusal(ChangeOutcome.WrongState).ToResult();
        }

        try
        {
            var data = await ReadLimitedAsync(http.Request, options.MaxBannerBytes, processor.SizeMessage, ct);
            var banner = processor.Process(data);
            var actor = AuditActor.From(http);
            var outcome = await store.SaveBannerAsync(id, banner, actor.UserId, ct);
            if (outcome != ChangeOutcome.Done)
            {
                return Refusal(outcome).ToResult();
            }

            await deps.Audit.RecordAsync(new CampaignAuditEvent(CampaignAuditEvents.BannerUploaded, id, actor, new Dictionary<string, object?>
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

    private static async Task<IResult> RemoveBannerAsync(long id, HttpContext http, CampaignStore store, Deps deps, CancellationToken ct)
    {
        var actor = AuditActor.From(http);
        var outcome = await store.RemoveBannerAsync(id, actor.UserId, ct);
        if (outcome != ChangeOutcome.Done)
        {
            return Refusal(outcome).ToResult();
        }

        await deps.Audit.RecordAsync(new CampaignAuditEvent(CampaignAuditEvents.BannerRemoved, id, actor, new Dictionary<string, object?>()), ct);
        return Results.NoContent();
    }

    private static async Task<IResult> GetBannerAsync(long id, CampaignStore store, CancellationToken ct) =>
        await store.GetBannerAsync(id, ct) is { } banner
            ? Results.File(banner.Content, "image/jpeg")
            : ApiProblem.NotFound("배너 이미지가 없습니다.").ToResult();

    /// <summary>
    /// MMS 미리보기 (spec §3.2.2): the message as it will be sent, with byte counts against the gateway limits, and
    /// the coupon fields the image shows; <c>image</c> links to the rendered coupon (<see cref="PreviewImageAsync"/>).
    /// </summary>
    private static async Task<IResult> PreviewAsync(long id, CampaignStore store, Deps deps, CancellationToken ct)
    {
        var record = await store.GetAsync(id, ct);
        if (record is null)
        {
            return NotFound().ToResult();
        }

        var title = record.MmsTitle ?? "";
        var body = record.MmsBody ?? "";
        var titleMeasure = EucKrText.Measure(title);
        var bodyMeasure = EucKrText.Measure(body);
        var sendAt = record.SendMode == SendModes.Now ? deps.Rules.EarliestUtc(record.RecipientCount) : record.ScheduledAt;
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
    private static async Task<IResult> PreviewImageAsync(long id, CampaignStore store, CampaignCouponSpec specs, CouponRenderer renderer, Deps deps, CancellationToken ct)
    {
        var record = await store.GetAsync(id, ct);
        if (record is null)
        {
            return NotFound().ToResult();
        }

        var sendAt = (record.SendMode == SendModes.Now ? deps.Rules.EarliestUtc(record.RecipientCount) : record.ScheduledAt)
            ?? deps.Time.GetUtcNow().UtcDateTime;
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

    private static ApiProblem NotFound() => ApiProblem.NotFound("발송 건을 찾을 수 없습니다.");

    private static ApiProblem Refusal(ChangeOutcome outcome) => outcome switch
    {
        ChangeOutcome.NotFound => NotFound(),
        ChangeOutcome.WrongState => ApiProblem.Conflict("campaign_not_draft", "임시저장 상태의 발송 건만 수정할 수 있습니다. 예약된 발송 건은 예약 해제 후 수정하세요."),
        ChangeOutcome.VersionConflict => ApiProblem.Conflict("campaign_changed", "다른 사용자가 먼저 수정했습니다. 화면을 새로 고친 뒤 다시 시도하세요."),
        ChangeOutcome.TooLate => ApiProblem.Conflict("campaign_already_started", "발송 준비가 이미 시작되어 예약을 해제할 수 없습니다."),
        _ => throw new ArgumentOutOfRangeException(nameof(outcome)),
    };

    /// <summary>Services most handlers need, bundled so signatures stay short.</summary>
    public sealed class Deps(ICampaignAudit audit, PiiProtector pii, SendTimeRules rules, TimeProvider time)
    {
        public ICampaignAudit Audit { get; } = audit;

        public PiiProtector Pii { get; } = pii;

        public SendTimeRules Rules { get; } = rules;

        public TimeProvider Time { get; } = time;
    }

    private sealed record PreparedSubmit(ApiProblem? Problem)
    {
        public CampaignRecord? Record { get; init; }

        public Products.ProductSnapshot? Product { get; init; }

        public DateTime StartAtUtc { get; init; }

        public SubmitCheckResponse? Check { get; init; }
    }
}
