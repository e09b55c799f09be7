using CouponDesk.Data;
using CouponDesk.Security;
using Dapper;

namespace CouponDesk.Features.Users;

/// <summary>
/// Creates the first ADMIN of an empty installation with a generated one-time password (must be changed at first
/// login). Does nothing when an ADMIN already exists, so running it again is safe.
/// </summary>
public sealed class AdminBootstrap(DbConnectionFactory connections, PasswordHashingOptions hashing, TimeProvider time)
{
    public sealed record Outcome(bool Created, string LoginId, string? OneTimePassword);

    public async Task<Outcome> EnsureFirstAdminAsync(string loginId, CancellationToken cancellationToken = default)
    {
        await using var connection = await connections.OpenAsync(cancellationToken);
        var existing = await connection.QueryFirstOrDefaultAsync<string>(
            "SELECT login_id FROM users WHERE role = @role ORDER BY id LIMIT 1", new { role = Roles.Admin });
        if (existing is not null)
        {
            return new Outcome(false, existing, null);
        }

        var password = PasswordGenerator.Generate();
        var now = time.GetUtcNow().UtcDateTime;
        await connection.ExecuteAsync(
            """
            INSERT INTO users (login_id, login_id_key, password_hash, role, status, must_change_password, created_at, updated_at)
            VALUES (@loginId, @key, @hash, @role, @status, 1, @now, @now)
            """,
            new
            {
                loginId,
                key = loginId.ToLowerInvariant(),
                hash = BCrypt.Net.BCrypt.HashPassword(password, hashing.WorkFactor),
                role = Roles.Admin,
                status = AccountStatus.Active,
                now,
            });
        return new Outcome(true, loginId, password);
    }
}
