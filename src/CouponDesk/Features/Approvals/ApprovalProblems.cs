using CouponDesk.Web.Errors;

namespace CouponDesk.Features.Approvals;

/// <summary>The refusals of the approval workflow: stable English codes, the Korean sentences of spec §1.3 / §3.9.</summary>
public static class ApprovalProblems
{
    public const string OwnRequestCode = "approval_own_request";
    public const string HandledCode = "approval_already_handled";
    public const string ExpiredCode = "approval_expired";
    public const string PendingCode = "approval_pending";
    public const string RequiredCode = "approval_required";
    public const string NotRequiredCode = "approval_not_required";
    public const string NotRequesterCode = "approval_not_requester";
    public const string AdminRequiredCode = "approval_admin_required";

    public const string PendingMessage = "승인 대기 중인 요청이 있습니다.";

    public static readonly ApiProblem NotFound = ApiProblem.NotFound("승인 요청을 찾을 수 없습니다.");

    public static readonly ApiProblem OwnRequest = ApiProblem.Conflict(OwnRequestCode, "본인의 요청은 승인할 수 없습니다.");

    public static readonly ApiProblem OwnRequestReject = ApiProblem.Conflict(OwnRequestCode, "본인의 요청은 반려할 수 없습니다. [요청 취소]를 이용하세요.");

    public static readonly ApiProblem Expired = ApiProblem.Conflict(ExpiredCode, "만료된 요청입니다. 필요하면 다시 요청하세요.");

    public static readonly ApiProblem Pending = ApiProblem.Conflict(PendingCode, PendingMessage);

    /// <summary>The page showed the action without approval, but its switch is on now (or the caller did not say).</summary>
    public static readonly ApiProblem Required = ApiProblem.Conflict(RequiredCode, "2인 승인 설정이 켜져 있어 승인 요청으로만 처리할 수 있습니다. 화면을 새로 고친 뒤 다시 시도하세요.");

    /// <summary>The page showed "승인 요청", but the switch was turned off meanwhile.</summary>
    public static readonly ApiProblem NotRequired = ApiProblem.Conflict(NotRequiredCode, "2인 승인 설정이 꺼져 승인 요청이 필요 없습니다. 화면을 새로 고친 뒤 다시 시도하세요.");

    public static readonly ApiProblem NotRequester = new(StatusCodes.Status403Forbidden, NotRequesterCode, "Forbidden", "요청한 사람만 요청을 취소할 수 있습니다.");

    public static readonly ApiProblem AdminRequired = new(StatusCodes.Status403Forbidden, AdminRequiredCode, "Forbidden", "미사용 쿠폰 일괄 폐기 요청은 다른 관리자(ADMIN)만 승인할 수 있습니다.");

    public static ApiProblem Handled(string status) => ApiProblem.Conflict(HandledCode, $"이미 처리된 요청입니다 ({ApprovalStatus.Label(status)}).");
}
