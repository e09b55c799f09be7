using System.Globalization;
using CouponDesk.Features.Audit;
using CouponDesk.Hosting;
using CouponDesk.Security;
using CouponDesk.Web.Errors;
using CouponDesk.Web.Validation;
using Microsoft.AspNetCore.Mvc;

namespace CouponDesk.Features.Privacy;

/// <summary>Body of <c>PUT /api/campaigns/{id}/legal-hold</c>: how many days from now (1–365) and why.</summary>
public sealed record LegalHoldRequest(int? Days, string? Reason);

/// <summary>
/// 보존 연장 (spec §7.5): <c>GET /api/campaigns/{id}/legal-hold</c> (anyone who sees campaigns) answers the hold in force;
/// <c>PUT</c> (ADMIN) sets or replaces it — 400 when days are outside 1–365 or the reason is missing, too long or holds
/// control/invisible characters; 404 unknown campaign; <c>DELETE</c> (ADMIN) releases it (409 <c>not_on_hold</c>).
/// </summary>
public sealed class LegalHoldEndpoints : IEndpointModule
{
    public void Map(IEndpointRouteBuilder app)
    {
        const string Path = "/api/campaigns/{id:long}/legal-hold";
        app.MapGet(Path, async (long id, LegalHolds holds, CancellationToken ct) =>
                await holds.GetAsync(id, ct) is { } hold ? Results.Ok(hold) : ApiProblem.NotFound("발송 건을 찾을 수 없습니다.").ToResult())
            .WithTags("Privacy").RequireAuthorization(Policies.ViewCampaigns);
        app.MapPut(Path, SetAsync).WithTags("Privacy").RequireAuthorization(Policies.LegalHold).WithMetadata(new RequestSizeLimitAttribute(16 * 1024));
        app.MapDelete(Path, async (long id, HttpContext http, LegalHolds holds, CancellationToken ct) =>
                (await holds.ReleaseAsync(id, AuditActor.From(http), ct)).ToResult(r => Results.Ok(r)))
            .WithTags("Privacy").RequireAuthorization(Policies.LegalHold);
    }

    private static async Task<IResult> SetAsync(long id, LegalHoldRequest? request, HttpContext http, LegalHolds holds, CancellationToken ct)
    {
        var errors = new Dictionary<string, string[]>();
        if (request?.Days is not { } days || days < 1 || days > LegalHolds.MaxDays)
        {
            errors["days"] = [string.Create(CultureInfo.InvariantCulture, $"보존 연장 기간은 1일부터 {LegalHolds.MaxDays}일(1년)까지입니다.")];
        }

        var reason = request?.Reason?.Trim();
        var reasonProblem = string.IsNullOrEmpty(reason) ? "보존 연장 사유를 입력해 주세요."
            : reason.Length > LegalHolds.MaxReasonLength ? string.Create(CultureInfo.InvariantCulture, $"보존 연장 사유는 {LegalHolds.MaxReasonLength}자까지입니다.")
            : FreeText.Check(reason, "보존 연장 사유");
        if (reasonProblem is not null)
        {
            errors["reason"] = [reasonProblem];
        }

        return errors.Count > 0
            ? ApiProblem.Validation(errors, errors.Values.First()[0]).ToResult()
            : (await holds.SetAsync(id, request!.Days!.Value, reason!, AuditActor.From(http), ct)).ToResult(r => Results.Ok(r));
    }
}
