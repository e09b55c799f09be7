using System.Globalization;
using System.Security.Claims;
using CouponDesk.Features.Audit;
using CouponDesk.Hosting;
using CouponDesk.Security;
using CouponDesk.Web.Errors;
using Microsoft.AspNetCore.Mvc;

namespace CouponDesk.Features.Approvals;

public sealed record ApproveRequest(bool? ConfirmNight);

public sealed record RejectRequest(string? Reason);

/// <summary>
/// 승인 요청 (spec §3.9, P15 = ADMIN/OPERATOR): the tabs, the header badge's count, the switches the pages draw their
/// buttons from, and 승인 / 반려 / 요청 취소. A refusal is a problem with a stable code and changes nothing.
/// </summary>
public sealed class ApprovalEndpoints : IEndpointModule
{
    public const int MaxReasonLength = 200;

    public void Map(IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/approvals").RequireAuthorization(Policies.Approve).WithTags("Approvals").WithMetadata(new RequestSizeLimitAttribute(16 * 1024));
        group.MapGet("", ListAsync);
        group.MapGet("/count", async (HttpContext http, ApprovalList list, CancellationToken ct) =>
            Results.Ok(new { count = await list.CountAsync(UserId(http), Role(http), ct) }));
        group.MapGet("/switches", (ApprovalOptions o) => Results.Ok(Switches(o)));
        group.MapPost("/{id:long}/approve", ApproveAsync);
        group.MapPost("/{id:long}/reject", RejectAsync);
        group.MapPost("/{id:long}/withdraw", async (long id, HttpContext http, ApprovalRequests requests, CancellationToken ct) =>
            await requests.WithdrawAsync(id, AuditActor.From(http), ct) is { } problem ? problem.ToResult() : Results.Ok(new { message = ApprovalRequests.WithdrawnMessage }));
    }

    public static object Switches(ApprovalOptions o) => new
    {
        campaignCancel = o.CampaignCancel,
        resend = o.Resend,
        phoneChange = o.PhoneChange,
        couponDiscard = o.CouponDiscard,
        bulkDiscard = o.BulkDiscard,
        anyOn = o.AnyOn,
    };

    private static async Task<IResult> ListAsync(string? tab, HttpContext http, ApprovalList list, ApprovalOptions options, CancellationToken ct)
    {
        tab ??= ApprovalList.TabPending;
        if (tab is not (ApprovalList.TabPending or ApprovalList.TabHandled or ApprovalList.TabMine))
        {
            return ApiProblem.Validation("tab", "탭은 pending, handled, mine 중 하나입니다.").ToResult();
        }

        return Results.Ok(new { tab, items = await list.ListAsync(tab, UserId(http), Role(http), ct), switches = Switches(options) });
    }

    private static async Task<IResult> ApproveAsync(long id, ApproveRequest? request, HttpContext http, ApprovalRequests requests, CancellationToken ct)
    {
        var (execution, problem) = await requests.ApproveAsync(id, AuditActor.From(http), Role(http), request?.ConfirmNight ?? false, ct);
        if (problem is not null)
        {
            return problem.ToResult();
        }

        return Results.Ok(new
        {
            executed = execution!.Executed,
            status = execution.Executed ? ApprovalStatus.Executed : ApprovalStatus.ExecutionFailed,
            message = execution.Executed ? ApprovalRequests.ExecutedMessage : ApprovalRequests.FailedMessage(execution.Message),
            result = execution.Message,
        });
    }

    private static async Task<IResult> RejectAsync(long id, RejectRequest? request, HttpContext http, ApprovalRequests requests, CancellationToken ct)
    {
        var reason = request?.Reason?.Trim();
        var bad = string.IsNullOrEmpty(reason) ? "반려 사유를 입력해 주세요."
            : reason.Length > MaxReasonLength ? string.Create(CultureInfo.InvariantCulture, $"반려 사유는 {MaxReasonLength}자까지 입력할 수 있습니다.")
            : Web.Validation.FreeText.Check(reason, "반려 사유");
        if (bad is not null)
        {
            return ApiProblem.Validation("reason", bad).ToResult();
        }

        return await requests.RejectAsync(id, reason!, AuditActor.From(http), ct) is { } problem
            ? problem.ToResult()
            : Results.Ok(new { message = ApprovalRequests.RejectedMessage });
    }

    private static long UserId(HttpContext http) =>
        long.Parse(http.User.FindFirstValue(ClaimTypes.NameIdentifier) ?? "0", NumberStyles.None, CultureInfo.InvariantCulture);

    private static string Role(HttpContext http) => http.User.FindFirstValue(ClaimTypes.Role) ?? "";
}
