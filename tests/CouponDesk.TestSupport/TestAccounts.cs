using CouponDesk.Data;
using CouponDesk.Features.Users;
using Dapper;
using Microsoft.Extensions.DependencyInjection;

namespace CouponDesk.TestSupport;

/// <summary>Accounts written straight into <c>users</c> (ACTIVE, a known password hashed at the host's work factor), for any host under test.</summary>
public static class TestAccounts
{
    public sealed record Created(long Id, string LoginId, string Password);

    /// <summary>
    /// Inserts an account of <paramref name="role"/> whose login id is <paramref name="prefix"/> + the role's initial +
    /// <paramref name="number"/> + a random suffix, with a generated password.
    /// </summary>
    public static async Task<Created> InsertAsync(IServiceProvider services, string prefix, int number, int digits, string role, bool mustChangePassword)
    {
        var loginId = $"{prefix}{role[..1].ToLowerInvariant()}{number.ToString($"D{digits}", System.Globalization.CultureInfo.InvariantCulture)}{Random.Shared.Next(1000, 9999)}";
        var password = PasswordGenerator.Generate();
        var workFactor = services.GetRequiredService<PasswordHashingOptions>().WorkFactor;
        await using var connection = await services.GetRequiredService<DbConnectionFactory>().OpenAsync();
        var now = DateTime.UtcNow;
        var id = await connection.ExecuteScalarAsync<long>(
            """
            INSERT INTO users (login_id, login_id_key, password_hash, role, status, must_change_password, failed_login_count, created_at, updated_at)
            VALUES (@loginId, @loginId, @hash, @role, 'ACTIVE', @mustChangePassword, 0, @now, @now);
            SELECT LAST_INSERT_ID();
            """,
            new { loginId, hash = BCrypt.Net.BCrypt.HashPassword(password, workFactor), role, mustChangePassword, now });
        return new Created(id, loginId, password);
    }

    public sealed record Account(string LoginId, string Password);

    /// <summary>An ACTIVE account of <paramref name="role"/> with no password change pending (bcrypt cost 4: tests only), for hosts that are not a <see cref="CouponDeskFactory"/>.</summary>
    public static async Task<Account> InsertAsync(DbConnectionFactory connections, string role)
    {
        // Wide enough for the kept benchmark databases, which gather hundreds of these accounts run after run.
        var loginId = $"a{role[..1].ToLowerInvariant()}{Random.Shared.NextInt64(100_000_000, 999_999_999)}";
        var password = PasswordGenerator.Generate();
        await using var c = await connections.OpenAsync();
        var now = DateTime.UtcNow;
        await c.ExecuteAsync(
            """
            INSERT INTO users (login_id, login_id_key, password_hash, role, status, must_change_password, failed_login_count, created_at, updated_at)
            VALUES (@loginId, @loginId, @hash, @role, 'ACTIVE', 0, 0, @now, @now)
            """, new { loginId, hash = BCrypt.Net.BCrypt.HashPassword(password, 4), role, now });
        return new Account(loginId, password);
    }
}
