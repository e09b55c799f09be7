using System.Text.RegularExpressions;
using CouponDesk.Security;

namespace CouponDesk.Features.Users;

/// <summary>Field rules and messages of 사용자관리 (spec §2.1, §3.6).</summary>
public static partial class UserFields
{
    public const string LoginIdMessage = "로그인 ID는 영문/숫자 조합 15자 이내여야 합니다.";
    public const string NameMessage = "이름은 한글 또는 영문 15자 이내로 입력하세요.";
    public const string EmailMessage = "올바른 이메일 형식이 아닙니다.";
    public const string MobileMessage = "휴대폰 번호는 숫자만 입력할 수 있습니다.";

    [GeneratedRegex("^[A-Za-z0-9]{1,15}$")]
    public static partial Regex LoginId();

    // A login id is stored and logged in clear, so it must not be a phone number (added; spec §7.1).
    [GeneratedRegex("^0?1[016789][0-9]{7,8}$")]
    public static partial Regex PhoneLike();

    [GeneratedRegex(@"^[\p{IsHangulSyllables}A-Za-z]+( [\p{IsHangulSyllables}A-Za-z]+)*$")]
    public static partial Regex Name();

    [GeneratedRegex("^[0-9]{9,11}$")]
    public static partial Regex Mobile();

    public static void CheckLoginId(string? loginId, Dictionary<string, string[]> errors)
    {
        if (string.IsNullOrEmpty(loginId) || !LoginId().IsMatch(loginId))
        {
            errors["loginId"] = [LoginIdMessage];
        }
        else if (PhoneLike().IsMatch(loginId))
        {
            errors["loginId"] = ["휴대폰 번호는 로그인 ID로 사용할 수 없습니다."];
        }
    }

    public static void CheckPersonal(string? name, string? email, string? mobile, Dictionary<string, string[]> errors)
    {
        if (!string.IsNullOrEmpty(name) && (name.Length > 15 || !Name().IsMatch(name)))
        {
            errors["name"] = [NameMessage];
        }

        if (!string.IsNullOrEmpty(email) && !Web.Validation.EmailAddress.IsValid(email))
        {
            errors["email"] = [EmailMessage];
        }

        if (!string.IsNullOrEmpty(mobile) && !Mobile().IsMatch(mobile))
        {
            errors["mobile"] = [MobileMessage];
        }
    }

    public static void CheckRoleAndStatus(string? role, string? status, Dictionary<string, string[]> errors)
    {
        if (role is null || !Roles.All.Contains(role))
        {
            errors["role"] = ["역할을 선택하세요. (ADMIN, OPERATOR, VIEWER)"];
        }

        if (status is not (AccountStatus.Active or AccountStatus.Inactive))
        {
            errors["status"] = ["로그인 허용 여부를 선택하세요. (ACTIVE, INACTIVE)"];
        }
    }

    public static string? Trimmed(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();
}
