using CouponDesk.Web.Errors;

namespace CouponDesk.Features.Approvals;

/// <summary>How a covered action proceeds: at once, as a request, or refused.</summary>
public enum ApprovalRoute
{
    Direct,
    Request,
    Refused,
}

/// <summary>
/// The decision every covered endpoint makes first (spec §1.3): the caller says what its dialog showed
/// (<c>requestApproval</c>: "승인 요청" or "확인"), and that must match the switch in force; a mismatch — the switch changed
/// after the page was drawn, or a caller that did not say while the switch is on — is refused and changes nothing
/// (D-APR-3). The switch is read from this process's settings, which follow 설정 within a few seconds (D-SET-2).
/// </summary>
public sealed class ApprovalGate(ApprovalOptions options)
{
    public (ApprovalRoute Route, ApiProblem? Problem) Decide(string kind, bool? requestApproval)
    {
        var on = options.IsOn(kind);
        return (on, requestApproval ?? false) switch
        {
            (true, true) => (ApprovalRoute.Request, null),
            (true, false) => (ApprovalRoute.Refused, ApprovalProblems.Required),
            (false, true) => (ApprovalRoute.Refused, ApprovalProblems.NotRequired),
            _ => (ApprovalRoute.Direct, null),
        };
    }
}
