using CouponDesk.Data;
using CouponDesk.Features.Audit;
using CouponDesk.Security.Pii;
using Dapper;

namespace CouponDesk.Features.Settings;

/// <summary>What an ADMIN set: the database rows of <c>settings</c> (secrets encrypted) and their version.</summary>
public sealed class SettingsStore(DbConnectionFactory connections, PiiProtector protector, AuditTrail audit, TimeProvider time)
{
    public sealed record Snapshot(long Version, IReadOnlyDictionary<string, string> Values);

    private sealed record Row(string SettingKey, string? Value, byte[]? SecretValue);

    public enum SaveOutcome
    {
        Saved,
        Stale,
    }

    public async Task<long> VersionAsync(CancellationToken ct)
    {
        await using var connection = await connections.OpenAsync(ct);
        return await connection.ExecuteScalarAsync<long>(new CommandDefinition("SELECT version FROM settings_version WHERE id = 1", cancellationToken: ct));
    }

    public async Task<Snapshot> LoadAsync(CancellationToken ct)
    {
        await using var connection = await connections.OpenAsync(ct);
        await using var transaction = await connection.BeginTransactionAsync(System.Data.IsolationLevel.RepeatableRead, ct);
        var version = await connection.ExecuteScalarAsync<long>(new CommandDefinition("SELECT version FROM settings_version WHERE id = 1", transaction: transaction, cancellationToken: ct));
        var rows = await connection.QueryAsync<Row>(new CommandDefinition(
            "SELECT setting_key AS SettingKey, value AS Value, secret_value AS SecretValue FROM settings", transaction: transaction, cancellationToken: ct));
        await transaction.CommitAsync(ct);
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var row in rows)
        {
            // A key no longer in the catalogue is ignored rather than bound onto an options class.
            if (SettingsCatalog.Find(row.SettingKey) is null)
            {
                continue;
            }

            values[row.SettingKey] = row.SecretValue is { } secret ? protector.Decrypt(secret) : row.Value ?? "";
        }

        return new Snapshot(version, values);
    }

    /// <summary>
    /// Writes <paramref name="changes"/> (null = back to the configuration file's value) if nobody changed the settings
    /// since <paramref name="expectedVersion"/>; the version bump and the audit row commit with them.
    /// </summary>
    public async Task<SaveOutcome> SaveAsync(long expectedVersion, IReadOnlyDictionary<string, string?> changes, long? userId, AuditEntry entry, CancellationToken ct) =>
        await DeadlockRetry.RunAsync(async () =>
        {
            await using var connection = await connections.OpenAsync(ct);
            await using var transaction = await connection.BeginTransactionAsync(ct);
            var version = await connection.ExecuteScalarAsync<long>(new CommandDefinition(
                "SELECT version FROM settings_version WHERE id = 1 FOR UPDATE", transaction: transaction, cancellationToken: ct));
            if (version != expectedVersion)
            {
                await transaction.RollbackAsync(ct);
                return SaveOutcome.Stale;
            }

            var now = time.GetUtcNow().UtcDateTime;
            foreach (var (key, value) in changes)
            {
                var definition = SettingsCatalog.Find(key)!;
                if (value is null)
                {
                    await connection.ExecuteAsync(new CommandDefinition("DELETE FROM settings WHERE setting_key = @key", new { key }, transaction, cancellationToken: ct));
                    continue;
                }

                var secret = definition.Kind == SettingKind.SecretUrl ? protector.Encrypt(value) : null;
                await connection.ExecuteAsync(new CommandDefinition(
                    """
                    INSERT INTO settings (setting_key, value, secret_value, updated_at, updated_by) VALUES (@key, @plain, @secret, @now, @userId)
                    ON DUPLICATE KEY UPDATE value = VALUES(value), secret_value = VALUES(secret_value), updated_at = VALUES(updated_at), updated_by = VALUES(updated_by)
                    """,
                    new { key, plain = secret is null ? value : null, secret, now, userId }, transaction, cancellationToken: ct));
            }

            await connection.ExecuteAsync(new CommandDefinition("UPDATE settings_version SET version = version + 1 WHERE id = 1", transaction: transaction, cancellationToken: ct));
            await audit.WriteAsync(entry, connection, transaction, ct);
            await transaction.CommitAsync(ct);
            return SaveOutcome.Saved;
        }, "settings change");
}
