using CouponDesk.Features.Audit;
using CouponDesk.Web.Errors;

namespace CouponDesk.Features.Campaigns;

/// <summary>
/// The frame every simple campaign change shares: run it as the signed-in user; a refusal is answered as problem details
/// (nothing changed, nothing audited); otherwise the audit event is recorded, then the answer is made.
/// </summary>
internal static class AuditedChange
{
    public static async Task<IResult> RunAsync(
        long id, HttpContext http, ICampaignAudit audit, string auditEvent, Func<long?, Task<Outcome>> change, Func<Task<IResult>> answer,
        CancellationToken ct, IReadOnlyDictionary<string, object?>? details = null)
    {
        var actor = AuditActor.From(http);
        if ((await change(actor.UserId)).Refusal is { } refused)
        {
            return refused.ToResult();
        }

        await audit.RecordAsync(new CampaignAuditEvent(auditEvent, id, actor, details ?? new Dictionary<string, object?>()), ct);
        return await answer();
    }
}
