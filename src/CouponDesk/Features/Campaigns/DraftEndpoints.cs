using CouponDesk.Features.Audit;
using CouponDesk.Hosting;
using CouponDesk.Security;
using CouponDesk.Security.Pii;
using Microsoft.AspNetCore.Mvc;

namespace CouponDesk.Features.Campaigns;

/// <summary>발송등록 drafts (spec §3.2, C1, C4): create, read, edit and delete a draft. Every change is audited.</summary>
public sealed class DraftEndpoints : IEndpointModule
{
    public void Map(IEndpointRouteBuilder app)
    {
        // JSON bodies here are a form of a few KB; Kestrel refuses anything over 256 KB while reading it.
        var group = app.MapGroup("/api/campaigns").WithTags("Campaigns");
        var jsonLimit = new RequestSizeLimitAttribute(256 * 1024);
        group.MapPost("", CreateAsync).RequireAuthorization(Policies.RegisterCampaign).WithMetadata(jsonLimit);
        group.MapGet("/{id:long}", GetAsync).RequireAuthorization(Policies.ViewCampaigns);
        group.MapPut("/{id:long}", UpdateAsync).RequireAuthorization(Policies.RegisterCampaign).WithMetadata(jsonLimit);
        group.MapDelete("/{id:long}", DeleteAsync).RequireAuthorization(Policies.RegisterCampaign);
    }

    private static async Task<IResult> CreateAsync(CampaignRequest request, HttpContext http, CampaignValidator validator, CampaignStore store, ICampaignAudit audit, PiiReader pii, SendTimeRules rules, CancellationToken ct)
    {
        var actor = AuditActor.From(http);
        var (draft, errors, product) = await validator.CheckFormAsync(request, actor.Login, ct);
        if (errors.Any)
        {
            return errors.ToRefusal().ToResult();
        }

        var id = await store.InsertAsync(draft, product, actor.UserId, ct);
        await audit.RecordAsync(new CampaignAuditEvent(CampaignAuditEvents.Created, id, actor, new Dictionary<string, object?> { ["eventName"] = draft.EventName }), ct);
        var record = await store.GetAsync(id, ct);
        return Results.Created($"/api/campaigns/{id}", CampaignViews.ToResponse(record!, pii, rules));
    }

    private static async Task<IResult> GetAsync(long id, CampaignStore store, PiiReader pii, SendTimeRules rules, CancellationToken ct) =>
        await store.GetAsync(id, ct) is { } record
            ? Results.Ok(CampaignViews.ToResponse(record, pii, rules))
            : CampaignRefusals.NotFound.ToResult();

    private static async Task<IResult> UpdateAsync(long id, CampaignRequest request, HttpContext http, CampaignValidator validator, CampaignStore store, ICampaignAudit audit, PiiReader pii, SendTimeRules rules, CancellationToken ct)
    {
        var existing = await store.GetAsync(id, ct);
        if (existing is null)
        {
            return CampaignRefusals.NotFound.ToResult();
        }

        if (existing.Status != CampaignStatus.Draft)
        {
            return CampaignRefusals.NotDraft.ToResult();
        }

        var actor = AuditActor.From(http);
        var (draft, errors, product) = await validator.CheckFormAsync(request, existing.SalesManager, ct);
        if (errors.Any)
        {
            return errors.ToRefusal().ToResult();
        }

        var outcome = await store.UpdateDraftAsync(id, request.Version, draft, product, actor.UserId, ct);
        if (outcome.Refusal is { } refused)
        {
            return refused.ToResult();
        }

        await audit.RecordAsync(new CampaignAuditEvent(CampaignAuditEvents.Updated, id, actor, new Dictionary<string, object?>()), ct);
        return Results.Ok(CampaignViews.ToResponse((await store.GetAsync(id, ct))!, pii, rules));
    }

    private static Task<IResult> DeleteAsync(long id, HttpContext http, CampaignStore store, ICampaignAudit audit, CancellationToken ct) =>
        AuditedChange.RunAsync(id, http, audit, CampaignAuditEvents.Deleted, user => store.DeleteDraftAsync(id, user, ct), () => Task.FromResult(Results.NoContent()), ct);
}
