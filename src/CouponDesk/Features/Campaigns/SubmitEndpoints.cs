using CouponDesk.Features.Approvals;
using CouponDesk.Features.Audit;
using CouponDesk.Hosting;
using CouponDesk.Security;
using CouponDesk.Security.Pii;
using CouponDesk.Shared.Text;
using CouponDesk.Shared.Time;
using CouponDesk.Web.Errors;
using Microsoft.AspNetCore.Mvc;

namespace CouponDesk.Features.Campaigns;

/// <summary>
/// Submitting a draft (spec §3.2.4, C2: DRAFT → SCHEDULED with the cost estimate, after a check the page confirms),
/// 예약 해제 (C3: SCHEDULED → DRAFT) and the cancel of a scheduled campaign (C10, P7). Every change is audited.
/// </summary>
public sealed class SubmitEndpoints : IEndpointModule
{
    public void Map(IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/campaigns").WithTags("Campaigns");
        var jsonLimit = new RequestSizeLimitAttribute(256 * 1024);
        group.MapPost("/{id:long}/submit/check", CheckSubmitAsync).RequireAuthorization(Policies.RegisterCampaign);
        group.MapPost("/{id:long}/submit", SubmitAsync).RequireAuthorization(Policies.RegisterCampaign).WithMetadata(jsonLimit);
        group.MapPost("/{id:long}/unschedule", UnscheduleAsync).RequireAuthorization(Policies.RegisterCampaign);
        group.MapPost("/{id:long}/cancel", CancelAsync).RequireAuthorization(Policies.CancelCampaign).WithMetadata(jsonLimit);
    }

    private static async Task<IResult> CheckSubmitAsync(long id, CampaignStore store, CampaignValidator validator, SendTimeRules rules, TimeProvider time, CancellationToken ct)
    {
        var prepared = await PrepareSubmitAsync(id, store, validator, rules, time, ct);
        return prepared.ToResult(p => Results.Ok(p.Check));
    }

    private static async Task<IResult> SubmitAsync(
        long id, SubmitRequest? request, HttpContext http, CampaignStore store, CampaignValidator validator, ICampaignAudit audit, PiiReader pii, SendTimeRules rules,
        TimeProvider time, CancellationToken ct)
    {
        var (prepared, refusal) = await PrepareSubmitAsync(id, store, validator, rules, time, ct);
        if (refusal is not null)
        {
            return refusal.ToResult();
        }

        var check = prepared!.Check;
        var record = prepared.Record;
        if (request?.Version is { } expected && expected != record.Version)
        {
            return CampaignRefusals.Changed.ToResult();
        }

        var actor = AuditActor.From(http);
        var outcome = await store.ScheduleAsync(
            id, record.Version, check.SendAtUtc, prepared.StartAtUtc, prepared.Product, record.RecipientCount, check.CostEstimate.TotalListPrice, actor.UserId, ct);
        if (outcome.Refusal is { } refused)
        {
            // The draft changed between the checks and the update (a new list, an edit): check again.
            return refused.ToResult();
        }

        await audit.RecordAsync(new CampaignAuditEvent(CampaignAuditEvents.Submitted, id, actor, new Dictionary<string, object?>
        {
            ["sendAt"] = check.SendAt,
            ["recipients"] = record.RecipientCount,
            ["goodsId"] = record.GoodsId,
            ["totalListPrice"] = check.CostEstimate.TotalListPrice,
        }), ct);
        var scheduled = await store.GetAsync(id, ct);
        return Results.Ok(new SubmitResponse(CampaignViews.ToResponse(scheduled!, pii, rules), check.CostEstimate, "발송 요청이 완료되었습니다.", check.Warnings));
    }

    private static async Task<Outcome<PreparedSubmit>> PrepareSubmitAsync(long id, CampaignStore store, CampaignValidator validator, SendTimeRules rules, TimeProvider time, CancellationToken ct)
    {
        var record = await store.GetAsync(id, ct);
        if (record is null)
        {
            return CampaignRefusals.NotFound;
        }

        if (record.Status != CampaignStatus.Draft)
        {
            return CampaignRefusals.NotDraft;
        }

        var (errors, sendAt, product, warnings) = await validator.CheckSubmitAsync(store.ToDraft(record), record.BannerId is not null, record.RecipientCount, ct);
        if (errors.Any)
        {
            return errors.ToRefusal();
        }

        var now = time.GetUtcNow().UtcDateTime;
        // The same calculator the starter uses (measured rate, queue ahead), so the stored start agrees with it.
        var start = sendAt - (await rules.LeadAsync(record.RecipientCount, sendAt, ct)).Lead;
        start = start < now ? now : start;
        var cost = CampaignViews.Cost(product!, record.RecipientCount);
        var sendText = Kst.FormatMinute(sendAt);
        // The sentence of spec §3.2.4 with the particle the product name takes; the cost is its own line (cost.Text).
        var confirm = $"{sendText}에 {KoreanParticles.WithObject(product!.Name)} 총 {record.RecipientCount:N0}개의 휴대폰 번호로 발송이 됩니다. 정말 발송하시겠습니까?";
        return new PreparedSubmit(record, product, start, new SubmitCheckResponse(sendText, sendAt, Kst.FormatMinute(start), cost, confirm, warnings));
    }

    private static Task<IResult> UnscheduleAsync(long id, HttpContext http, CampaignStore store, ICampaignAudit audit, PiiReader pii, SendTimeRules rules, CancellationToken ct) =>
        AuditedChange.RunAsync(id, http, audit, CampaignAuditEvents.Unscheduled, user => store.UnscheduleAsync(id, user, ct),
            async () => Results.Ok(CampaignViews.ToResponse((await store.GetAsync(id, ct))!, pii, rules)), ct);

    private static async Task<IResult> CancelAsync(
        long id, CancelRequest request, HttpContext http, CampaignStore store, ICampaignAudit audit, PiiReader pii, SendTimeRules rules, ApprovalGate approval, CancellationToken ct)
    {
        // With 발송 취소 승인 on (spec §1.3) a cancel goes through a request (POST …/pipeline/cancel with requestApproval).
        if (approval.Decide(ApprovalKinds.CampaignCancel, requestApproval: false).Problem is { } needsApproval)
        {
            return needsApproval.ToResult();
        }

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

        return await AuditedChange.RunAsync(id, http, audit, CampaignAuditEvents.Cancelled, user => store.CancelScheduledAsync(id, reason, user, ct),
            async () => Results.Ok(new { message = "발송이 취소되었습니다.", campaign = CampaignViews.ToResponse((await store.GetAsync(id, ct))!, pii, rules) }),
            ct, new Dictionary<string, object?> { ["reason"] = reason });
    }

    /// <summary>What the submit check computed, for the check's answer and the submit itself.</summary>
    private sealed record PreparedSubmit(CampaignRecord Record, Products.ProductSnapshot Product, DateTime StartAtUtc, SubmitCheckResponse Check);
}
