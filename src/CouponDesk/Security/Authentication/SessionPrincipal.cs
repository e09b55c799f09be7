using System.Globalization;
using System.Security.Claims;

namespace CouponDesk.Security.Authentication;

/// <summary>The signed-in user as the rest of the code sees it, built from the validated session row.</summary>
public static class SessionPrincipal
{
    public const string MustChangePasswordClaim = "must_change_password";

    public static ClaimsPrincipal Create(long userId, string loginId, string role, string sessionId, bool mustChangePassword)
    {
        var claims = new List<Claim>
        {
            new(ClaimTypes.NameIdentifier, userId.ToString(CultureInfo.InvariantCulture)),
            new(ClaimTypes.Name, loginId),
            new(ClaimTypes.Role, role),
            new(TokenService.SessionClaim, sessionId),
        };
        if (mustChangePassword)
        {
            claims.Add(new Claim(MustChangePasswordClaim, "true"));
        }

        return new ClaimsPrincipal(new ClaimsIdentity(claims, "Bearer", ClaimTypes.Name, ClaimTypes.Role));
    }

    public static long UserId(this ClaimsPrincipal user) =>
        long.Parse(user.FindFirstValue(ClaimTypes.NameIdentifier) ?? throw new InvalidOperationException("no signed-in user"), CultureInfo.InvariantCulture);

    public static string SessionId(this ClaimsPrincipal user) =>
        user.FindFirstValue(TokenService.SessionClaim) ?? throw new InvalidOperationException("no session");
}
