using CouponDesk.Data;
using CouponDesk.Features.Users;
using Dapper;

namespace CouponDesk.TestSupport;

/// <summary>Accounts inserted straight into a database, for hosts that are not a <see cref="CouponDeskFactory"/>.</summary>
public static class TestAccounts
{
    public sealed record Account(string LoginId, string Password);

    /// <summary>An ACTIVE account of <paramref name="role"/> with no password change pending (bcrypt cost 4: tests only).</summary>
    public static async Task<Account> InsertAsync(DbConnectionFactory connections, string role)
    {
        var loginId = $"a{role[..1].ToLowerInvariant()}{Random.Shared.Next(100000, 999999)}";
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
