using CouponDesk.Security.Pii;

namespace CouponDesk.Features.Users;

/// <summary>A <c>users</c> row. Personal fields are <see cref="EncryptedString"/>: never clear text in SQL.</summary>
public sealed class UserRecord
{
    public const string Columns =
        "id AS Id, login_id AS LoginId, password_hash AS PasswordHash, role AS Role, status AS Status, must_change_password AS MustChangePassword, " +
        "failed_login_count AS FailedLoginCount, last_login_at AS LastLoginAt, password_changed_at AS PasswordChangedAt, created_at AS CreatedAt, " +
        "updated_at AS UpdatedAt, name_enc AS NameEnc, email_enc AS EmailEnc, mobile_enc AS MobileEnc, locked_at AS LockedAt, deactivated_at AS DeactivatedAt";

    public long Id { get; init; }

    public string LoginId { get; init; } = "";

    public string PasswordHash { get; init; } = "";

    public string Role { get; init; } = "";

    public string Status { get; init; } = "";

    public bool MustChangePassword { get; init; }

    public int FailedLoginCount { get; init; }

    public DateTime? LastLoginAt { get; init; }

    public DateTime? PasswordChangedAt { get; init; }

    public DateTime CreatedAt { get; init; }

    public DateTime UpdatedAt { get; init; }

    public EncryptedString? NameEnc { get; init; }

    public EncryptedString? EmailEnc { get; init; }

    public EncryptedString? MobileEnc { get; init; }

    public DateTime? LockedAt { get; init; }

    public DateTime? DeactivatedAt { get; init; }
}
