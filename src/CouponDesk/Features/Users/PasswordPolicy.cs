using System.Reflection;

namespace CouponDesk.Features.Users;

/// <summary>
/// The password rules of spec §2.2: 8–64 printable ASCII characters without spaces; 8–9 characters need 3 of
/// {upper, lower, digit, special}, 10 or more need 2; not containing the login id, no run of four identical or
/// sequential characters, not one of the 3,000 most common passwords, not the current password.
/// 64 ASCII characters stay inside bcrypt's 72-byte input, so nothing is silently truncated.
/// </summary>
public static class PasswordPolicy
{
    public const int MinLength = 8;
    public const int MaxLength = 64;
    public const string RulesMessage = "비밀번호는 8~64자의 영문 대·소문자, 숫자, 특수문자 조합으로 입력하세요. (8~9자는 3종류 이상, 10자 이상은 2종류 이상)";

    private static readonly Lazy<HashSet<string>> CommonPasswords = new(Load);

    /// <summary>Null when acceptable, else the Korean message to show under the field.</summary>
    public static string? Check(string? password, string loginId, string? currentPassword = null)
    {
        if (string.IsNullOrEmpty(password) || password.Length is < MinLength or > MaxLength || password.Any(c => c is < '!' or > '~'))
        {
            return RulesMessage;
        }

        var classes = (password.Any(char.IsAsciiLetterUpper) ? 1 : 0) + (password.Any(char.IsAsciiLetterLower) ? 1 : 0)
            + (password.Any(char.IsAsciiDigit) ? 1 : 0) + (password.Any(c => !char.IsAsciiLetterOrDigit(c)) ? 1 : 0);
        if (classes < (password.Length < 10 ? 3 : 2))
        {
            return RulesMessage;
        }

        if (!string.IsNullOrEmpty(loginId) && password.Contains(loginId, StringComparison.OrdinalIgnoreCase))
        {
            return "비밀번호에 로그인 ID를 포함할 수 없습니다.";
        }

        if (PasswordGenerator.HasRun(password.ToLowerInvariant()))
        {
            return "같은 문자나 연속된 문자를 4개 이상 사용할 수 없습니다. (예: 1111, abcd)";
        }

        if (CommonPasswords.Value.Contains(password.ToLowerInvariant()))
        {
            return "너무 흔한 비밀번호입니다. 다른 비밀번호를 입력하세요.";
        }

        if (currentPassword is not null && password == currentPassword)
        {
            return "현재 비밀번호와 다른 비밀번호를 입력하세요.";
        }

        return null;
    }

    public static int CommonPasswordCount => CommonPasswords.Value.Count;

    private static HashSet<string> Load()
    {
        using var stream = Assembly.GetExecutingAssembly().GetManifestResourceStream("CouponDesk.Features.Users.common-passwords.txt")
            ?? throw new InvalidOperationException("the common-password list is not embedded");
        using var reader = new StreamReader(stream);
        var set = new HashSet<string>(StringComparer.Ordinal);
        while (reader.ReadLine() is { } line)
        {
            if (line.Length > 0 && line[0] != '#')
            {
                set.Add(line);
            }
        }

        return set;
    }
}
