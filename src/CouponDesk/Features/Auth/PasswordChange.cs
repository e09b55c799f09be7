using CouponDesk.Data;
using CouponDesk.Features.Audit;
using CouponDesk.Features.Users;
using CouponDesk.Web.Errors;
using Dapper;

namespace CouponDesk.Features.Auth;

public sealed record ChangePasswordRequest(string? CurrentPassword, string? NewPassword, string? NewPasswordConfirm);

/// <summary>
/// 내 정보 → 비밀번호 변경 (spec §2.6): the current password, the rules of §2.2, then every session of the user ends
/// (this one too: "다시 로그인해 주세요"). A wrong current password counts toward the lockout like a wrong login (§2.4);
/// the one that locks the account ends this session too and answers 401 with the lock message.
/// </summary>
public sealed class PasswordChange(DbConnectionFactory connections, SessionStore sessions, AuditTrail audit, WrongPasswords wrongPasswords, PasswordHashingOptions hashing, TimeProvider time)
{
    public const string ChangedMessage = "비밀번호가 변경되었습니다. 다시 로그인해 주세요.";

    public Task<ApiProblem?> ChangeAsync(long userId, ChangePasswordRequest request, AuditActor actor, CancellationToken ct) =>
        DeadlockRetry.RunAsync(() => ChangeOnceAsync(userId, request, actor, ct), "password change");

    private async Task<ApiProblem?> ChangeOnceAsync(long userId, ChangePasswordRequest request, AuditActor actor, CancellationToken ct)
    {
        if (string.IsNullOrEmpty(request.CurrentPassword) || request.CurrentPassword.Length > 128)
        {
            return ApiProblem.Validation("currentPassword", "현재 비밀번호가 일치하지 않습니다.");
        }

        if (request.NewPassword != request.NewPasswordConfirm)
        {
            return ApiProblem.Validation("newPasswordConfirm", "새 비밀번호가 일치하지 않습니다.");
        }

        await using var connection = await connections.OpenAsync(ct);
        await using var transaction = await connection.BeginTransactionAsync(ct);
        var user = await connection.QuerySingleOrDefaultAsync<UserRecord>($"SELECT {UserRecord.Columns} FROM users WHERE id = @userId FOR UPDATE", new { userId }, transaction);
        if (user is null)
        {
            return ApiProblem.NotFound();
        }

        if (!BCrypt.Net.BCrypt.Verify(request.CurrentPassword, user.PasswordHash))
        {
            var attempt = actor.Entry(AuditActions.PasswordChanged, AuditOutcome.Failure) with
            {
                TargetType = "user",
                TargetId = user.Id.ToString(System.Globalization.CultureInfo.InvariantCulture),
                Subject = user.LoginId,
                Reason = "wrong_current_password",
            };
            var locked = await wrongPasswords.RecordAsync(connection, transaction, user, attempt, time.GetUtcNow().UtcDateTime, ct);
            await transaction.CommitAsync(ct);
            if (locked)
            {
                await wrongPasswords.AlertLockedAsync(user, ct);
                return new ApiProblem(StatusCodes.Status401Unauthorized, LoginService.AccountLocked, "Account locked", LoginService.LockedMessage);
            }

            return ApiProblem.Validation("currentPassword", "현재 비밀번호가 일치하지 않습니다.");
        }

        if (PasswordPolicy.Check(request.NewPassword, user.LoginId, request.CurrentPassword) is { } error)
        {
            return ApiProblem.Validation("newPassword", error);
        }

        var now = time.GetUtcNow().UtcDateTime;
        await connection.ExecuteAsync(
            "UPDATE users SET password_hash = @hash, must_change_password = 0, failed_login_count = 0, password_changed_at = @now, updated_at = @now WHERE id = @userId",
            new { hash = BCrypt.Net.BCrypt.HashPassword(request.NewPassword, hashing.WorkFactor), now, userId }, transaction);
        var ended = await sessions.EndAllAsync(connection, transaction, userId, SessionEndReasons.PasswordChanged);
        await audit.WriteAsync(
            actor.Entry(AuditActions.PasswordChanged) with { TargetType = "user", TargetId = user.Id.ToString(System.Globalization.CultureInfo.InvariantCulture), Subject = user.LoginId, Details = new Dictionary<string, string?> { ["sessionsEnded"] = ended.ToString(System.Globalization.CultureInfo.InvariantCulture) } },
            connection, transaction, ct);
        await transaction.CommitAsync(ct);
        return null;
    }
}
