using CouponDesk.Features.Audit;
using CouponDesk.Features.Users;
using Dapper;
using MySqlConnector;

namespace CouponDesk.Features.Auth;

/// <summary>
/// One wrong password, wherever it is typed — the login form or the current password of 비밀번호 변경 — counts toward
/// the lockout of spec §2.4: the account's consecutive-failure counter goes up, the attempt is audited with its reason,
/// and the Nth failure locks the account, ends its sessions and (after the caller's commit) alerts the ADMINs. Without
/// this a stolen session could guess the current password without limit (issue 14).
/// </summary>
public sealed class WrongPasswords(SessionStore sessions, AuditTrail audit, ISecurityAlerts alerts, LoginOptions options)
{
    /// <summary>Counts the failure in the caller's transaction; true when it locked the account.</summary>
    public async Task<bool> RecordAsync(MySqlConnection connection, MySqlTransaction transaction, UserRecord user, AuditEntry attempt, DateTime now, CancellationToken ct)
    {
        var failures = user.FailedLoginCount + 1;
        var locks = failures >= options.MaxConsecutiveFailures;
        await connection.ExecuteAsync(
            "UPDATE users SET failed_login_count = @failures, status = @status, locked_at = @lockedAt, updated_at = @now WHERE id = @id",
            new { failures, status = locks ? AccountStatus.Locked : AccountStatus.Active, lockedAt = locks ? now : (DateTime?)null, now, id = user.Id },
            transaction);
        await audit.WriteAsync(
            attempt with { Details = new Dictionary<string, string?> { ["consecutiveFailures"] = failures.ToString(System.Globalization.CultureInfo.InvariantCulture) } },
            connection, transaction, ct);
        if (locks)
        {
            await sessions.EndAllAsync(connection, transaction, user.Id, SessionEndReasons.Locked);
            await audit.WriteAsync(
                attempt with { Action = AuditActions.UserLocked, Outcome = AuditOutcome.Success, ActorUserId = null, ActorLogin = AuditEntry.SystemActor, Reason = "consecutive_failures", Details = null },
                connection, transaction, ct);
        }

        return locks;
    }

    /// <summary>After the commit: the ADMINs learn of the lock (in-app notice and the operations channel).</summary>
    public Task AlertLockedAsync(UserRecord user, CancellationToken ct) => alerts.AccountLockedAsync(user.Id, user.LoginId, ct);
}
