using System.Security.Cryptography;
using CouponDesk.Data;
using CouponDesk.Features.Audit;
using CouponDesk.Features.Users;
using Dapper;
using MySqlConnector;

namespace CouponDesk.Features.Auth;

public sealed record ActiveSession(string SessionId, long UserId, string LoginId, string Role, bool MustChangePassword, DateTime IdleExpiresAt, DateTime AbsoluteExpiresAt);

/// <summary>The outcome of checking a session: the user, or why not (an end reason, or <c>UNKNOWN</c>).</summary>
public sealed record SessionCheck(ActiveSession? Session, string? Rejection);

/// <summary>
/// Server-side sessions in <c>auth_sessions</c> (spec §2.5). The database row is the only source of truth, with or
/// without Redis (docs/decisions.md D-SEC-2): every request reads the row and moves <c>last_seen_at</c>, so idle and
/// absolute expiry and revocation behave identically whatever else is configured.
/// </summary>
public sealed class SessionStore(DbConnectionFactory connections, SessionOptions options, AuditTrail audit, TimeProvider time) : IUserSessions
{
    private sealed record Row(long UserId, DateTime LastSeenAt, DateTime AbsoluteExpiresAt, DateTime? EndedAt, string? EndReason, string LoginId, string Role, string Status, bool MustChangePassword);

    /// <summary>Starts a session in the caller's transaction; ends the oldest sessions beyond the concurrent limit (returned for auditing).</summary>
    public async Task<(string SessionId, DateTime AbsoluteExpiresAt, IReadOnlyList<string> Superseded)> CreateAsync(
        MySqlConnection connection, MySqlTransaction transaction, long userId, string? sourceIp, string? userAgent)
    {
        var now = time.GetUtcNow().UtcDateTime;
        var active = (await connection.QueryAsync<string>(
            "SELECT id FROM auth_sessions WHERE user_id = @userId AND ended_at IS NULL ORDER BY created_at, id FOR UPDATE",
            new { userId }, transaction)).AsList();
        var superseded = active.Take(Math.Max(0, active.Count - options.MaxConcurrentSessions + 1)).ToList();
        if (superseded.Count > 0)
        {
            await connection.ExecuteAsync(
                "UPDATE auth_sessions SET ended_at = @now, end_reason = @reason WHERE id IN @ids AND ended_at IS NULL",
                new { now, reason = SessionEndReasons.Superseded, ids = superseded }, transaction);
        }

        var id = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));
        var absolute = now + options.AbsoluteLifetime;
        await connection.ExecuteAsync(
            """
            INSERT INTO auth_sessions (id, user_id, created_at, last_seen_at, absolute_expires_at, source_ip, user_agent)
            VALUES (@id, @userId, @now, @now, @absolute, @sourceIp, @userAgent)
            """,
            new { id, userId, now, absolute, sourceIp, userAgent = userAgent is { Length: > 256 } ? userAgent[..256] : userAgent },
            transaction);
        return (id, absolute, superseded);
    }

    /// <summary>
    /// Checks a session and, when it is valid and <paramref name="touch"/> is set, records this request as its latest
    /// activity; a background call (<paramref name="touch"/> false) leaves the idle deadline where it was.
    /// </summary>
    public async Task<SessionCheck> CheckAndTouchAsync(string? sessionId, bool touch = true, CancellationToken cancellationToken = default)
    {
        if (string.IsNullOrEmpty(sessionId) || sessionId.Length != 32)
        {
            return new SessionCheck(null, "UNKNOWN");
        }

        var now = time.GetUtcNow().UtcDateTime;
        await using var connection = await connections.OpenAsync(cancellationToken);
        var row = await connection.QuerySingleOrDefaultAsync<Row>(
            """
            SELECT s.user_id AS UserId, s.last_seen_at AS LastSeenAt, s.absolute_expires_at AS AbsoluteExpiresAt, s.ended_at AS EndedAt,
                   s.end_reason AS EndReason, u.login_id AS LoginId, u.role AS Role, u.status AS Status, u.must_change_password AS MustChangePassword
            FROM auth_sessions s JOIN users u ON u.id = s.user_id WHERE s.id = @sessionId
            """,
            new { sessionId });
        if (row is null)
        {
            return new SessionCheck(null, "UNKNOWN");
        }

        if (row.EndedAt is not null)
        {
            return new SessionCheck(null, row.EndReason ?? "ENDED");
        }

        var expiry = now >= row.AbsoluteExpiresAt ? SessionEndReasons.AbsoluteExpired
            : now >= row.LastSeenAt + options.IdleTimeout ? SessionEndReasons.IdleExpired
            : row.Status == AccountStatus.Inactive ? SessionEndReasons.Deactivated
            : row.Status == AccountStatus.Locked ? SessionEndReasons.Locked
            : null;
        if (expiry is not null)
        {
            await EndExpiredAsync(connection, sessionId, row.UserId, row.LoginId, expiry, now, cancellationToken);
            return new SessionCheck(null, expiry);
        }

        // Only a still-open session is touched; a concurrent logout wins.
        var touched = !touch || await connection.ExecuteAsync(
            "UPDATE auth_sessions SET last_seen_at = @now WHERE id = @sessionId AND ended_at IS NULL", new { now, sessionId }) > 0;
        if (!touched)
        {
            return new SessionCheck(null, "ENDED");
        }

        var idleExpires = (touch ? now : row.LastSeenAt) + options.IdleTimeout;
        return new SessionCheck(
            new ActiveSession(sessionId, row.UserId, row.LoginId, row.Role, row.MustChangePassword, idleExpires < row.AbsoluteExpiresAt ? idleExpires : row.AbsoluteExpiresAt, row.AbsoluteExpiresAt),
            null);
    }

    public async Task<bool> EndAsync(string sessionId, string reason, CancellationToken cancellationToken = default)
    {
        await using var connection = await connections.OpenAsync(cancellationToken);
        return await connection.ExecuteAsync(
            "UPDATE auth_sessions SET ended_at = @now, end_reason = @reason WHERE id = @sessionId AND ended_at IS NULL",
            new { now = time.GetUtcNow().UtcDateTime, reason, sessionId }) > 0;
    }

    /// <summary>Ends every open session of a user in the caller's transaction (password change or reset, lock, deactivation, role change).</summary>
    public async Task<int> EndAllAsync(MySqlConnection connection, MySqlTransaction transaction, long userId, string reason) =>
        await connection.ExecuteAsync(
            "UPDATE auth_sessions SET ended_at = @now, end_reason = @reason WHERE user_id = @userId AND ended_at IS NULL",
            new { now = time.GetUtcNow().UtcDateTime, reason, userId }, transaction);

    /// <summary>Hourly: ends (and audits) sessions that expired without a further request, and deletes rows ended more than a day ago.</summary>
    public async Task<(int Expired, int Deleted)> CleanupAsync(CancellationToken cancellationToken = default)
    {
        var now = time.GetUtcNow().UtcDateTime;
        await using var connection = await connections.OpenAsync(cancellationToken);
        var stale = (await connection.QueryAsync<(string Id, long UserId, string LoginId, DateTime AbsoluteExpiresAt)>(
            """
            SELECT s.id, s.user_id, u.login_id, s.absolute_expires_at FROM auth_sessions s JOIN users u ON u.id = s.user_id
            WHERE s.ended_at IS NULL AND (s.absolute_expires_at <= @now OR s.last_seen_at <= @idleCutoff) LIMIT 10000
            """,
            new { now, idleCutoff = now - options.IdleTimeout })).AsList();
        foreach (var session in stale)
        {
            var reason = now >= session.AbsoluteExpiresAt ? SessionEndReasons.AbsoluteExpired : SessionEndReasons.IdleExpired;
            await EndExpiredAsync(connection, session.Id, session.UserId, session.LoginId, reason, now, cancellationToken);
        }

        var deleted = await connection.ExecuteAsync(
            "DELETE FROM auth_sessions WHERE ended_at IS NOT NULL AND ended_at < @cutoff LIMIT 10000", new { cutoff = now.AddDays(-1) });
        return (stale.Count, deleted);
    }

    private Task EndExpiredAsync(MySqlConnection connection, string sessionId, long userId, string loginId, string reason, DateTime now, CancellationToken cancellationToken) =>
        DeadlockRetry.RunAsync(() => EndExpiredOnceAsync(connection, sessionId, userId, loginId, reason, now, cancellationToken), "session end");

    private async Task EndExpiredOnceAsync(MySqlConnection connection, string sessionId, long userId, string loginId, string reason, DateTime now, CancellationToken cancellationToken)
    {
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var ended = await connection.ExecuteAsync(
            "UPDATE auth_sessions SET ended_at = @now, end_reason = @reason WHERE id = @sessionId AND ended_at IS NULL",
            new { now, reason, sessionId }, transaction);
        if (ended > 0 && reason is SessionEndReasons.IdleExpired or SessionEndReasons.AbsoluteExpired)
        {
            // Audited once: only the caller whose UPDATE ended the session writes the row.
            await audit.WriteAsync(
                new AuditEntry { Action = AuditActions.SessionExpired, ActorUserId = userId, ActorLogin = loginId, TargetType = "session", TargetId = sessionId[..8], Reason = reason },
                connection, transaction, cancellationToken);
        }

        await transaction.CommitAsync(cancellationToken);
    }
}
