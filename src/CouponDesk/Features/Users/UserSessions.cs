using MySqlConnector;

namespace CouponDesk.Features.Users;

/// <summary>
/// Ends a user's sessions in the caller's transaction (deactivation, role change, password reset, an ADMIN's request).
/// Implemented by the sign-in feature's session store; declared here so user management does not depend on it.
/// </summary>
public interface IUserSessions
{
    Task<int> EndAllAsync(MySqlConnection connection, MySqlTransaction transaction, long userId, string reason);
}

/// <summary>Why a session ended; stored in <c>auth_sessions.end_reason</c> and shown to the user on their next call.</summary>
public static class SessionEndReasons
{
    public const string Logout = "LOGOUT";
    public const string Superseded = "SUPERSEDED";
    public const string IdleExpired = "IDLE_EXPIRED";
    public const string AbsoluteExpired = "ABSOLUTE_EXPIRED";
    public const string PasswordChanged = "PASSWORD_CHANGED";
    public const string PasswordReset = "PASSWORD_RESET";
    public const string Locked = "LOCKED";
    public const string Deactivated = "DEACTIVATED";
    public const string RoleChanged = "ROLE_CHANGED";
    public const string EndedByAdmin = "ENDED_BY_ADMIN";
}
