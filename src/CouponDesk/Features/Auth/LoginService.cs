using CouponDesk.Data;
using CouponDesk.Features.Audit;
using CouponDesk.Features.Users;
using CouponDesk.Security.Authentication;
using CouponDesk.Web.Errors;
using Dapper;

namespace CouponDesk.Features.Auth;

public sealed record LoginRequest(string? Username, string? Password);

public sealed record LoginResult(string AccessToken, string TokenType, DateTimeOffset AbsoluteExpiresAt, int IdleTimeoutSeconds, int WarningSeconds, bool MustChangePassword, string LoginId, string Role, string? Message);

/// <summary>
/// Login (spec §2.4, §3.1). An unknown id and a wrong password get the same answer and cost the same bcrypt work;
/// a locked or inactive account gets the spec's own message. The 5th consecutive failure locks the account and alerts
/// the ADMINs; more than N failures from one address within the window refuse that address for the window.
/// Every attempt is audited with the id as typed (masked by the audit writer if it looks like a phone number).
/// </summary>
public sealed class LoginService(
    DbConnectionFactory connections,
    SessionStore sessions,
    TokenService tokens,
    AuditTrail audit,
    WrongPasswords wrongPasswords,
    LoginOptions options,
    SessionOptions sessionOptions,
    PasswordHashingOptions hashing,
    TimeProvider time)
{
    public const string InvalidCredentials = "invalid_credentials";
    public const string AccountLocked = "account_locked";
    public const string AccountInactive = "account_inactive";
    public const string Throttled = "login_throttled";
    public const string InvalidCredentialsMessage = "아이디 또는 비밀번호가 올바르지 않습니다.";
    public const string LockedMessage = "비밀번호를 5회 잘못 입력하여 계정이 잠겼습니다. 관리자에게 문의하세요.";
    public const string InactiveMessage = "사용이 중지된 계정입니다. 관리자에게 문의하세요.";
    public const string ThrottledMessage = "로그인 시도가 너무 많습니다. 10분 후 다시 시도하세요.";
    public const string MustChangeMessage = "최초 로그인(또는 비밀번호 초기화) 후에는 비밀번호를 변경해야 합니다.";

    private readonly Lazy<string> dummyHash = new(() => BCrypt.Net.BCrypt.HashPassword(Users.PasswordGenerator.Generate(), hashing.WorkFactor));

    public async Task<(LoginResult? Result, ApiProblem? Problem)> LoginAsync(LoginRequest request, AuditActor client, CancellationToken ct)
    {
        var username = request.Username?.Trim() ?? "";
        var password = request.Password ?? "";
        if (username.Length == 0 || password.Length == 0)
        {
            return (null, ApiProblem.Validation(new Dictionary<string, string[]>(), "아이디와 비밀번호를 모두 입력하세요."));
        }

        // Too long, or holding characters no login id has (control, bidi): the generic answer, before any lookup.
        if (username.Length > 64 || password.Length > 128 || Web.Validation.FreeText.FindForbidden(username) is not null)
        {
            return (null, ApiProblem.Validation(new Dictionary<string, string[]>(), InvalidCredentialsMessage));
        }

        var attempt = client.Entry(AuditActions.Login, AuditOutcome.Failure) with { ActorLogin = username, TargetType = "user" };
        if (await IsAddressThrottledAsync(client.SourceIp, ct))
        {
            await audit.WriteAsync(attempt with { Reason = "throttled" }, ct);
            return (null, new ApiProblem(StatusCodes.Status429TooManyRequests, Throttled, "Too many attempts", ThrottledMessage));
        }

        return await DeadlockRetry.RunAsync(() => VerifyAsync(username, password, attempt, client, ct), "login");
    }

    /// <summary>The login's one transaction; run again whole when it loses a conflict (every login appends to the audit chain).</summary>
    private async Task<(LoginResult? Result, ApiProblem? Problem)> VerifyAsync(string username, string password, AuditEntry attempt, AuditActor client, CancellationToken ct)
    {
        await using var connection = await connections.OpenAsync(ct);
        await using var transaction = await connection.BeginTransactionAsync(ct);
        var user = await connection.QuerySingleOrDefaultAsync<UserRecord>(
            $"SELECT {UserRecord.Columns} FROM users WHERE login_id_key = @key FOR UPDATE", new { key = username.ToLowerInvariant() }, transaction);

        // The same bcrypt work whatever the outcome, so timing does not tell whether the id exists.
        var passwordMatches = BCrypt.Net.BCrypt.Verify(password, user?.PasswordHash ?? dummyHash.Value);
        if (user is null)
        {
            await audit.WriteAsync(attempt with { Reason = "unknown_id" }, connection, transaction, ct);
            await transaction.CommitAsync(ct);
            return (null, Failed(InvalidCredentials, InvalidCredentialsMessage));
        }

        attempt = attempt with { ActorUserId = user.Id, ActorLogin = user.LoginId, TargetId = user.Id.ToString(System.Globalization.CultureInfo.InvariantCulture), Subject = user.LoginId };
        var now = time.GetUtcNow().UtcDateTime;
        var status = user.Status;
        if (status == AccountStatus.Locked && options.AutoUnlockMinutes > 0 && user.LockedAt is { } lockedAt && now >= lockedAt.AddMinutes(options.AutoUnlockMinutes))
        {
            await connection.ExecuteAsync(
                "UPDATE users SET status = @active, failed_login_count = 0, locked_at = NULL, updated_at = @now WHERE id = @id",
                new { active = AccountStatus.Active, now, id = user.Id }, transaction);
            await audit.WriteAsync(attempt with { Action = AuditActions.UserUnlocked, Outcome = AuditOutcome.Success, Reason = "auto_unlock" }, connection, transaction, ct);
            status = AccountStatus.Active;
            user = await connection.QuerySingleAsync<UserRecord>($"SELECT {UserRecord.Columns} FROM users WHERE id = @id", new { id = user.Id }, transaction);
        }

        if (status == AccountStatus.Locked)
        {
            await audit.WriteAsync(attempt with { Reason = "locked" }, connection, transaction, ct);
            await transaction.CommitAsync(ct);
            return (null, Failed(AccountLocked, LockedMessage));
        }

        if (status == AccountStatus.Inactive)
        {
            await audit.WriteAsync(attempt with { Reason = "inactive" }, connection, transaction, ct);
            await transaction.CommitAsync(ct);
            // Only someone who knows the password learns that the account is switched off.
            return (null, passwordMatches ? Failed(AccountInactive, InactiveMessage) : Failed(InvalidCredentials, InvalidCredentialsMessage));
        }

        if (!passwordMatches)
        {
            return await RecordFailureAsync(connection, transaction, user, attempt, now, ct);
        }

        var hash = BCrypt.Net.BCrypt.PasswordNeedsRehash(user.PasswordHash, hashing.WorkFactor)
            ? BCrypt.Net.BCrypt.HashPassword(password, hashing.WorkFactor)
            : user.PasswordHash;
        // 비밀번호 변경 주기 (spec §3.11): an old password leads into the same forced change as a first login.
        var expired = !user.MustChangePassword && options.PasswordMaxAgeDays > 0 && (user.PasswordChangedAt ?? user.CreatedAt) <= now.AddDays(-options.PasswordMaxAgeDays);
        var mustChange = user.MustChangePassword || expired;
        await connection.ExecuteAsync(
            "UPDATE users SET failed_login_count = 0, last_login_at = @now, password_hash = @hash, must_change_password = must_change_password OR @expired, updated_at = @now WHERE id = @id",
            new { now, hash, expired, id = user.Id }, transaction);
        var (sessionId, absolute, superseded) = await sessions.CreateAsync(connection, transaction, user.Id, client.SourceIp, client.UserAgent);
        foreach (var old in superseded)
        {
            await audit.WriteAsync(
                attempt with { Action = AuditActions.SessionEnded, Outcome = AuditOutcome.Success, TargetType = "session", TargetId = old[..8], Reason = SessionEndReasons.Superseded },
                connection, transaction, ct);
        }

        await audit.WriteAsync(attempt with { Outcome = AuditOutcome.Success, Reason = mustChange ? "must_change_password" : null }, connection, transaction, ct);
        await transaction.CommitAsync(ct);
        var token = tokens.Issue(sessionId, user.Id, now, absolute);
        return (new LoginResult(
            token, "Bearer", new DateTimeOffset(absolute, TimeSpan.Zero), (int)sessionOptions.IdleTimeout.TotalSeconds, sessionOptions.WarningSeconds,
            mustChange, user.LoginId, user.Role, mustChange ? MustChangeMessage : null), null);
    }

    private async Task<(LoginResult?, ApiProblem?)> RecordFailureAsync(
        MySqlConnector.MySqlConnection connection, MySqlConnector.MySqlTransaction transaction, UserRecord user, AuditEntry attempt, DateTime now, CancellationToken ct)
    {
        var locked = await wrongPasswords.RecordAsync(connection, transaction, user, attempt with { Reason = "wrong_password" }, now, ct);
        await transaction.CommitAsync(ct);
        if (locked)
        {
            await wrongPasswords.AlertLockedAsync(user, ct);
            return (null, Failed(AccountLocked, LockedMessage));
        }

        return (null, Failed(InvalidCredentials, InvalidCredentialsMessage));
    }

    /// <summary>Failed attempts from this address within the window, counted from the audit trail (works the same on every node, with or without Redis).</summary>
    private async Task<bool> IsAddressThrottledAsync(string? address, CancellationToken ct)
    {
        await using var connection = await connections.OpenAsync(ct);
        var failures = await connection.ExecuteScalarAsync<long>(
            """
            SELECT COUNT(*) FROM audit_log
            WHERE source_ip = @address AND occurred_at >= @since AND action = @action AND outcome = @failure AND (reason IS NULL OR reason <> 'throttled')
            """,
            new { address, since = time.GetUtcNow().UtcDateTime.AddMinutes(-options.AddressWindowMinutes), action = AuditActions.Login, failure = AuditOutcome.Failure });
        return failures > options.AddressFailureLimit;
    }

    private static ApiProblem Failed(string code, string detail) => new(StatusCodes.Status401Unauthorized, code, "Login failed", detail);
}
