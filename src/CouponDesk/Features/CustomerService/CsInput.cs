using System.Globalization;

namespace CouponDesk.Features.CustomerService;

/// <summary>Request bodies of the C/S actions (JSON, camelCase).</summary>
public sealed record CsResendRequest(int? Version, bool? ConfirmNight, string? Memo, bool? RequestApproval = null);

public sealed record CsPhoneChangeRequest(int? Version, string? NewPhone, string? Memo, bool? RequestApproval = null);

public sealed record CsDiscardRequest(int? Version, string? Reason, string? Memo, bool? RequestApproval = null);

public sealed record CsMemoRequest(string? Memo);

public sealed record CsRevealRequest(string? Reason, string? ReasonText);

/// <summary>The C/S search: in the body, because a phone or coupon number in a URL ends up in proxy and access logs.</summary>
public sealed record CsSearchRequest(string? Phone, string? CouponNumber, string? Cursor, int? Limit);

/// <summary>
/// Checks of what an operator types (spec §3.4.3, §7.4): memos at most 500 characters, free of control characters
/// (line breaks and tabs are text), the version the page loaded, the reasons from their lists. Each failure is a field
/// and a Korean message; a request with any of them changes nothing.
/// </summary>
public static class CsInput
{
    public const int MaxMemo = 500;
    public const int MaxReasonText = 200;

    /// <summary>원문 보기 reasons (spec §3.4.2): 고객 본인 확인 / 공급사 문의 / 기타 (+ text).</summary>
    public static readonly IReadOnlyDictionary<string, string> RevealReasons = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["CUSTOMER_CHECK"] = "고객 본인 확인",
        ["SUPPLIER_INQUIRY"] = "공급사 문의",
        ["OTHER"] = "기타",
    };

    /// <summary>A memo: trimmed, line breaks as LF; null when empty. <paramref name="required"/> for 기타.</summary>
    public static string? Memo(string? memo, bool required, Dictionary<string, string[]> errors)
    {
        var text = memo?.Replace("\r\n", "\n", StringComparison.Ordinal).Trim();
        if (string.IsNullOrEmpty(text))
        {
            if (required)
            {
                errors["memo"] = ["상담 내용을 입력해주세요."];
            }

            return null;
        }

        if (text.Length > MaxMemo)
        {
            errors["memo"] = [$"상담 메모는 {MaxMemo}자까지 입력할 수 있습니다."];
        }
        else if (HasControl(text))
        {
            errors["memo"] = ["상담 메모에 사용할 수 없는 문자(제어 문자)가 있습니다."];
        }

        return text;
    }

    public static int Version(int? version, Dictionary<string, string[]> errors)
    {
        if (version is not { } v || v < 0)
        {
            errors["version"] = ["화면의 처리 기준 정보가 없습니다. 다시 조회한 뒤 시도하세요."];
            return -1;
        }

        return v;
    }

    /// <summary>The reveal reason as the audit row keeps it: the label, or "기타: text".</summary>
    public static string? RevealReason(CsRevealRequest? request, Dictionary<string, string[]> errors)
    {
        if (request?.Reason is not { } code || !RevealReasons.TryGetValue(code, out var label))
        {
            errors["reason"] = ["원문 보기 사유를 선택하세요."];
            return null;
        }

        if (code != "OTHER")
        {
            return label;
        }

        var text = request.ReasonText?.Trim();
        if (string.IsNullOrEmpty(text))
        {
            errors["reasonText"] = ["기타 사유를 입력하세요."];
        }
        else if (text.Length > MaxReasonText || HasControl(text))
        {
            errors["reasonText"] = [$"기타 사유는 제어 문자 없이 {MaxReasonText}자까지 입력할 수 있습니다."];
        }

        return $"{label}: {text}";
    }

    /// <summary>Control and format characters other than line breaks and tabs (NUL, ESC, bidirectional overrides…).</summary>
    public static bool HasControl(string text) =>
        text.Any(ch => ch is not ('\n' or '\t') && CharUnicodeInfo.GetUnicodeCategory(ch) is UnicodeCategory.Control or UnicodeCategory.Format);
}
