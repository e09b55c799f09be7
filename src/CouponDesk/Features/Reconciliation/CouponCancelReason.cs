namespace CouponDesk.Features.Reconciliation;

/// <summary>The body of <c>POST /api/reconciliation/coupon-cancels/{couponId}/retry|resolve</c>.</summary>
public sealed record CouponCancelActionRequest(string? Reason);

/// <summary>
/// The reason an ADMIN gives for a retry or a resolution: required, at most 500 characters (the column), no control
/// characters but line breaks and tabs. Checked before anything is touched.
/// </summary>
public static class CouponCancelReason
{
    public const int MaxLength = 500;

    public static (string? Reason, Dictionary<string, string[]> Errors) Check(CouponCancelActionRequest? request)
    {
        var errors = new Dictionary<string, string[]>();
        var reason = request?.Reason?.Trim();
        if (string.IsNullOrEmpty(reason))
        {
            errors["reason"] = ["사유를 입력해 주세요."];
        }
        else if (reason.Length > MaxLength)
        {
            errors["reason"] = [$"사유는 {MaxLength}자까지 입력할 수 있습니다."];
        }
        else if (Web.Validation.FreeText.Check(reason, "사유", multiline: true) is { } bad)
        {
            errors["reason"] = [bad];
        }

        return errors.Count > 0 ? (null, errors) : (reason, errors);
    }
}
