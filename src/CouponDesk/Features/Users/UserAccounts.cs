using System.Globalization;
using CouponDesk.Data;
using CouponDesk.Data.Leases;
using CouponDesk.Features.Audit;
using CouponDesk.Security;
using CouponDesk.Security.Masking;
using CouponDesk.Security.Pii;
using CouponDesk.Web.Errors;
using Dapper;
using MySqlConnector;

namespace CouponDesk.Features.Users;

public sealed record CreateUserRequest(string? LoginId, string? Password, string? Name, string? Email, string? Mobile, string? Role, string? Status);

public sealed record UpdateUserRequest(string? Name, string? Email, string? Mobile, string? Role, string? Status);

public sealed record ResetPasswordRequest(string? Password);

/// <summary>A user in the list: personal fields masked.</summary>
public sealed record UserSummary(long Id, string LoginId, string? Name, string Role, string Status, bool MustChangePassword, DateTimeOffset? LastLoginAt, DateTimeOffset CreatedAt);

/// <summary>The edit form: personal fields in clear, for ADMINs only, and the view is audited (spec §7.4).</summary>
public sealed record UserDetail(long Id, string LoginId, string? Name, string? Email, string? Mobile, string Role, string Status, bool MustChangePassword, int FailedLoginCount, DateTimeOffset? LastLoginAt, DateTimeOffset CreatedAt);

public sealed record CreatedUser(UserDetail User, string? GeneratedPassword, string Message);

/// <summary>
/// 사용자관리 (spec §2, §3.6): create, list, edit, unlock, reset password, end sessions. Every change is audited in
/// the same transaction. Nobody changes their own role or status, and the last active ADMIN can be neither demoted
/// nor deactivated (the active ADMIN rows are locked while that is checked, so two ADMINs cannot demote each other at once).
/// </summary>
public sealed class UserAccounts(DbConnectionFactory connections, PiiProtector pii, PiiReader reader, PasswordHashingOptions hashing, IUserSessions sessions, AuditTrail audit, TimeProvider time)
{
    public const string DuplicateLoginId = "duplicate_login_id";
    public const string LastAdmin = "last_admin";
    public const string SelfChange = "self_change";

    public Task<(CreatedUser? Created, ApiProblem? Problem)> CreateAsync(CreateUserRequest request, AuditActor actor, CancellationToken ct) =>
        DeadlockRetry.RunAsync(() => CreateOnceAsync(request, actor, ct), "user account");

    private async Task<(CreatedUser? Created, ApiProblem? Problem)> CreateOnceAsync(CreateUserRequest request, AuditActor actor, CancellationToken ct)
    {
        var errors = new Dictionary<string, string[]>();
        UserFields.CheckLoginId(request.LoginId, errors);
        var (name, email, mobile) = (UserFields.Trimmed(request.Name), UserFields.Trimmed(request.Email), UserFields.Trimmed(request.Mobile));
        UserFields.CheckPersonal(name, email, mobile, errors);
        UserFields.CheckRoleAndStatus(request.Role, request.Status ?? AccountStatus.Active, errors);
        var generated = string.IsNullOrEmpty(request.Password) ? PasswordGenerator.Generate() : null;
        var password = generated ?? request.Password!;
        if (!errors.ContainsKey("loginId") && PasswordPolicy.Check(password, request.LoginId!) is { } passwordError)
        {
            errors["password"] = [passwordError];
        }

        if (errors.Count > 0)
        {
            return (null, ApiProblem.Validation(errors));
        }

        var loginId = request.LoginId!;
        var now = time.GetUtcNow().UtcDateTime;
        var status = request.Status ?? AccountStatus.Active;
        await using var connection = await connections.OpenAsync(ct);
        await using var transaction = await connection.BeginTransactionAsync(ct);
        long id;
        try
        {
            id = await connection.ExecuteScalarAsync<long>(
                """
                INSERT INTO users (login_id, login_id_key, password_hash, role, status, must_change_password, failed_login_count,
                                   name_enc, email_enc, mobile_enc, deactivated_at, created_at, updated_at)
                VALUES (@loginId, @key, @hash, @role, @status, 1, 0, @nameEnc, @emailEnc, @mobileEnc, @deactivated, @now, @now);
                SELECT LAST_INSERT_ID();
                """,
                new
                {
                    loginId,
                    key = loginId.ToLowerInvariant(),
                    hash = BCrypt.Net.BCrypt.HashPassword(password, hashing.WorkFactor),
                    role = request.Role,
                    status,
                    nameEnc = (EncryptedString?)null,
                    emailEnc = (EncryptedString?)null,
                    mobileEnc = (EncryptedString?)null,
                    deactivated = status == AccountStatus.Inactive ? now : (DateTime?)null,
                    now,
                },
                transaction);
        }
        catch (MySqlException ex) when (ex.ErrorCode == MySqlErrorCode.DuplicateKeyEntry)
        {
            return (null, ApiProblem.Conflict(DuplicateLoginId, "이미 사용 중인 로그인 ID입니다.") with { Errors = new Dictionary<string, string[]> { ["loginId"] = ["이미 사용 중인 로그인 ID입니다."] } });
        }

        // The personal fields are bound to the new row, so they are written with its id, in the insert's transaction (D-SEC-12).
        await connection.ExecuteAsync(
            "UPDATE users SET name_enc = @nameEnc, email_enc = @emailEnc, mobile_enc = @mobileEnc WHERE id = @id",
            Personal(id, name, email, mobile), transaction);
        await audit.WriteAsync(
            actor.Entry(AuditActions.UserCreated) with
            {
                TargetType = "user",
                TargetId = Id(id),
                Subject = loginId,
                Details = new Dictionary<string, string?> { ["role"] = request.Role, ["status"] = status, ["name"] = Masking.Name(name), ["email"] = Masking.Email(email), ["mobile"] = Masking.Phone(mobile), ["passwordGenerated"] = (generated is not null).ToString() },
            },
            connection, transaction, ct);
        await transaction.CommitAsync(ct);
        var user = await LoadAsync(id, ct);
        return (new CreatedUser(Detail(user!), generated, $"사용자({loginId})가 등록되었습니다."), null);
    }

    public async Task<IReadOnlyList<UserSummary>> ListAsync(string? role, string? status, string? query, CancellationToken ct)
    {
        await using var connection = await connections.OpenAsync(ct);
        var users = await connection.QueryAsync<UserRecord>(
            $"SELECT {UserRecord.Columns} FROM users WHERE (@role IS NULL OR role = @role) AND (@status IS NULL OR status = @status) ORDER BY id",
            new { role, status });
        // Names are encrypted, so "ID/이름" matching happens here; staff lists are small (tens of rows).
        return users
            .Select(u => (User: u, Name: Show(u.NameEnc, UserColumns.Name, u.Id)))
            .Where(x => string.IsNullOrEmpty(query) || x.User.LoginId.Contains(query, StringComparison.OrdinalIgnoreCase) || (x.Name?.Contains(query, StringComparison.OrdinalIgnoreCase) ?? false))
            .Select(x => new UserSummary(x.User.Id, x.User.LoginId, Masking.Name(x.Name), x.User.Role, x.User.Status, x.User.MustChangePassword, Kst(x.User.LastLoginAt), Kst(x.User.CreatedAt)!.Value))
            .ToList();
    }

    public async Task<UserDetail?> GetAsync(long id, AuditActor actor, CancellationToken ct)
    {
        var user = await LoadAsync(id, ct);
        if (user is null)
        {
            return null;
        }

        await audit.WriteAsync(actor.Entry(AuditActions.UserViewed) with { TargetType = "user", TargetId = Id(id), Subject = user.LoginId }, ct);
        return Detail(user);
    }

    public Task<(UserDetail? User, ApiProblem? Problem)> UpdateAsync(long id, UpdateUserRequest request, AuditActor actor, CancellationToken ct) =>
        DeadlockRetry.RunAsync(() => UpdateOnceAsync(id, request, actor, ct), "user account");

    private async Task<(UserDetail? User, ApiProblem? Problem)> UpdateOnceAsync(long id, UpdateUserRequest request, AuditActor actor, CancellationToken ct)
    {
        var errors = new Dictionary<string, string[]>();
        var (name, email, mobile) = (UserFields.Trimmed(request.Name), UserFields.Trimmed(request.Email), UserFields.Trimmed(request.Mobile));
        UserFields.CheckPersonal(name, email, mobile, errors);
        UserFields.CheckRoleAndStatus(request.Role, request.Status, errors);
        if (errors.Count > 0)
        {
            return (null, ApiProblem.Validation(errors));
        }

        await using var connection = await connections.OpenAsync(ct);
        await using var transaction = await connection.BeginTransactionAsync(ct);
        var user = await LockAsync(connection, transaction, id);
        if (user is null)
        {
            return (null, ApiProblem.NotFound("사용자를 찾을 수 없습니다."));
        }

        var roleChanged = user.Role != request.Role;
        var deactivating = request.Status == AccountStatus.Inactive && user.Status != AccountStatus.Inactive;
        var activating = request.Status == AccountStatus.Active && user.Status != AccountStatus.Active;
        if ((roleChanged || deactivating || activating) && user.Id == actor.UserId)
        {
            return (null, ApiProblem.Conflict(SelfChange, "본인 계정의 역할과 상태는 변경할 수 없습니다."));
        }

        if ((roleChanged || deactivating) && await IsLastActiveAdminAsync(connection, transaction, user))
        {
            return (null, ApiProblem.Conflict(LastAdmin, "마지막 관리자 계정은 비활성화하거나 권한을 변경할 수 없습니다."));
        }

        var now = time.GetUtcNow().UtcDateTime;
        var (oldName, oldEmail, oldMobile) = (Show(user.NameEnc, UserColumns.Name, id), Show(user.EmailEnc, UserColumns.Email, id), Show(user.MobileEnc, UserColumns.Mobile, id));
        await connection.ExecuteAsync(
            """
            UPDATE users SET name_enc = @nameEnc, email_enc = @emailEnc, mobile_enc = @mobileEnc, role = @role, status = @status,
              failed_login_count = CASE WHEN @activating THEN 0 ELSE failed_login_count END,
              locked_at = CASE WHEN @activating THEN NULL ELSE locked_at END,
              deactivated_at = CASE WHEN @deactivating THEN @now WHEN @activating THEN NULL ELSE deactivated_at END,
              updated_at = @now
            WHERE id = @id
            """,
            new { nameEnc = pii.ProtectOptional(name, UserColumns.Name.PlaceOf(id)), emailEnc = pii.ProtectOptional(email, UserColumns.Email.PlaceOf(id)), mobileEnc = pii.ProtectOptional(mobile, UserColumns.Mobile.PlaceOf(id)), role = request.Role, status = request.Status, activating, deactivating, now, id },
            transaction);
        if (roleChanged || deactivating)
        {
            await sessions.EndAllAsync(connection, transaction, id, deactivating ? SessionEndReasons.Deactivated : SessionEndReasons.RoleChanged);
        }

        var changes = new Dictionary<string, string?>();
        Change(changes, "name", Masking.Name(oldName), Masking.Name(name), oldName != name);
        Change(changes, "email", Masking.Email(oldEmail), Masking.Email(email), oldEmail != email);
        Change(changes, "mobile", Masking.Phone(oldMobile), Masking.Phone(mobile), oldMobile != mobile);
        Change(changes, "role", user.Role, request.Role, roleChanged);
        Change(changes, "status", user.Status, request.Status, user.Status != request.Status);
        await audit.WriteAsync(actor.Entry(AuditActions.UserUpdated) with { TargetType = "user", TargetId = Id(id), Subject = user.LoginId, Details = changes }, connection, transaction, ct);
        await transaction.CommitAsync(ct);
        return (Detail((await LoadAsync(id, ct))!), null);
    }

    /// <summary>LOCKED → ACTIVE with the counter at 0 (spec §2.4). Also used by the maintenance command when no ADMIN can log in.</summary>
    public Task<ApiProblem?> UnlockAsync(long id, AuditActor actor, CancellationToken ct) =>
        DeadlockRetry.RunAsync(() => UnlockOnceAsync(id, actor, ct), "user account");

    private async Task<ApiProblem?> UnlockOnceAsync(long id, AuditActor actor, CancellationToken ct)
    {
        await using var connection = await connections.OpenAsync(ct);
        await using var transaction = await connection.BeginTransactionAsync(ct);
        var user = await LockAsync(connection, transaction, id);
        if (user is null)
        {
            return ApiProblem.NotFound("사용자를 찾을 수 없습니다.");
        }

        if (user.Status != AccountStatus.Locked)
        {
            return ApiProblem.Conflict("not_locked", "잠긴 계정이 아닙니다.");
        }

        await connection.ExecuteAsync(
            "UPDATE users SET status = @active, failed_login_count = 0, locked_at = NULL, updated_at = @now WHERE id = @id",
            new { active = AccountStatus.Active, now = time.GetUtcNow().UtcDateTime, id }, transaction);
        await audit.WriteAsync(actor.Entry(AuditActions.UserUnlocked) with { TargetType = "user", TargetId = Id(id), Subject = user.LoginId }, connection, transaction, ct);
        await transaction.CommitAsync(ct);
        return null;
    }

    public async Task<long?> FindIdAsync(string loginId, CancellationToken ct)
    {
        await using var connection = await connections.OpenAsync(ct);
        return await connection.ExecuteScalarAsync<long?>("SELECT id FROM users WHERE login_id_key = @key", new { key = loginId.ToLowerInvariant() });
    }

    /// <summary>
    /// Sets a temporary password (typed or generated and shown once), requires a change at next login, unlocks the
    /// account and ends its sessions (spec §2.6).
    /// </summary>
    public Task<(string? Generated, ApiProblem? Problem)> ResetPasswordAsync(long id, ResetPasswordRequest request, AuditActor actor, CancellationToken ct) =>
        DeadlockRetry.RunAsync(() => ResetPasswordOnceAsync(id, request, actor, ct), "user account");

    private async Task<(string? Generated, ApiProblem? Problem)> ResetPasswordOnceAsync(long id, ResetPasswordRequest request, AuditActor actor, CancellationToken ct)
    {
        await using var connection = await connections.OpenAsync(ct);
        await using var transaction = await connection.BeginTransactionAsync(ct);
        var user = await LockAsync(connection, transaction, id);
        if (user is null)
        {
            return (null, ApiProblem.NotFound("사용자를 찾을 수 없습니다."));
        }

        var generated = string.IsNullOrEmpty(request.Password) ? PasswordGenerator.Generate() : null;
        var password = generated ?? request.Password!;
        if (PasswordPolicy.Check(password, user.LoginId) is { } error)
        {
            return (null, ApiProblem.Validation("password", error));
        }

        var wasLocked = user.Status == AccountStatus.Locked;
        await connection.ExecuteAsync(
            """
            UPDATE users SET password_hash = @hash, must_change_password = 1, failed_login_count = 0, password_changed_at = @now,
              status = CASE WHEN status = @locked THEN @active ELSE status END, locked_at = NULL, updated_at = @now
            WHERE id = @id
            """,
            new { hash = BCrypt.Net.BCrypt.HashPassword(password, hashing.WorkFactor), now = time.GetUtcNow().UtcDateTime, locked = AccountStatus.Locked, active = AccountStatus.Active, id },
            transaction);
        await sessions.EndAllAsync(connection, transaction, id, SessionEndReasons.PasswordReset);
        await audit.WriteAsync(
            actor.Entry(AuditActions.UserPasswordReset) with
            {
                TargetType = "user",
                TargetId = Id(id),
                Subject = user.LoginId,
                Details = new Dictionary<string, string?> { ["generated"] = (generated is not null).ToString(), ["unlocked"] = wasLocked.ToString() },
            },
            connection, transaction, ct);
        await transaction.CommitAsync(ct);
        return (generated, null);
    }

    public Task<(int Ended, ApiProblem? Problem)> EndSessionsAsync(long id, AuditActor actor, CancellationToken ct) =>
        DeadlockRetry.RunAsync(() => EndSessionsOnceAsync(id, actor, ct), "user account");

    private async Task<(int Ended, ApiProblem? Problem)> EndSessionsOnceAsync(long id, AuditActor actor, CancellationToken ct)
    {
        await using var connection = await connections.OpenAsync(ct);
        await using var transaction = await connection.BeginTransactionAsync(ct);
        var user = await LockAsync(connection, transaction, id);
        if (user is null)
        {
            return (0, ApiProblem.NotFound("사용자를 찾을 수 없습니다."));
        }

        var ended = await sessions.EndAllAsync(connection, transaction, id, SessionEndReasons.EndedByAdmin);
        await audit.WriteAsync(
            actor.Entry(AuditActions.UserSessionsEnded) with { TargetType = "user", TargetId = Id(id), Subject = user.LoginId, Details = new Dictionary<string, string?> { ["sessions"] = ended.ToString(CultureInfo.InvariantCulture) } },
            connection, transaction, ct);
        await transaction.CommitAsync(ct);
        return (ended, null);
    }

    public async Task<UserRecord?> LoadAsync(long id, CancellationToken ct)
    {
        await using var connection = await connections.OpenAsync(ct);
        return await connection.QuerySingleOrDefaultAsync<UserRecord>($"SELECT {UserRecord.Columns} FROM users WHERE id = @id", new { id });
    }

    private static async Task<UserRecord?> LockAsync(MySqlConnection connection, MySqlTransaction transaction, long id) =>
        await connection.QuerySingleOrDefaultAsync<UserRecord>($"SELECT {UserRecord.Columns} FROM users WHERE id = @id FOR UPDATE", new { id }, transaction);

    private static async Task<bool> IsLastActiveAdminAsync(MySqlConnection connection, MySqlTransaction transaction, UserRecord user)
    {
        if (user.Role != Roles.Admin || user.Status != AccountStatus.Active)
        {
            return false;
        }

        // Two ADMINs demoting each other on two cluster nodes must not both pass: see NamedLeases.SerializeAsync.
        await NamedLeases.SerializeAsync(connection, transaction, "last-admin-check", CancellationToken.None);
        var activeAdmins = (await connection.QueryAsync<long>(
            "SELECT id FROM users WHERE role = @admin AND status = @active FOR UPDATE", new { admin = Roles.Admin, active = AccountStatus.Active }, transaction)).AsList();
        return activeAdmins.All(adminId => adminId == user.Id);
    }

    private UserDetail Detail(UserRecord user) => new(
        user.Id, user.LoginId, Show(user.NameEnc, UserColumns.Name, user.Id), Show(user.EmailEnc, UserColumns.Email, user.Id), Show(user.MobileEnc, UserColumns.Mobile, user.Id),
        user.Role, user.Status, user.MustChangePassword, user.FailedLoginCount, Kst(user.LastLoginAt), Kst(user.CreatedAt)!.Value);

    private object Personal(long id, string? name, string? email, string? mobile) => new
    {
        id,
        nameEnc = pii.ProtectOptional(name, UserColumns.Name.PlaceOf(id)),
        emailEnc = pii.ProtectOptional(email, UserColumns.Email.PlaceOf(id)),
        mobileEnc = pii.ProtectOptional(mobile, UserColumns.Mobile.PlaceOf(id)),
    };

    /// <summary>A staff field in clear, or 복호화 불가 (logged with its place, counted) when it was copied from another row.</summary>
    private string? Show(EncryptedString? stored, EncryptedColumn column, long id) => reader.Show(stored, column.PlaceOf(id));

    private static DateTimeOffset? Kst(DateTime? utc) =>
        utc is { } value ? new DateTimeOffset(CouponDesk.Shared.Time.Kst.ToKst(value), CouponDesk.Shared.Time.Kst.Offset) : null;

    private static void Change(Dictionary<string, string?> changes, string field, string? before, string? after, bool changed)
    {
        if (changed)
        {
            changes[field] = $"{before} → {after}";
        }
    }

    private static string Id(long id) => id.ToString(CultureInfo.InvariantCulture);
}
