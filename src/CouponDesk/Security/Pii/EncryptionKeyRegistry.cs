using CouponDesk.Data;
using CouponDesk.Shared.Hosting;
using Dapper;
using MySqlConnector;

namespace CouponDesk.Security.Pii;

/// <summary>
/// Keeps <c>encryption_keys</c> in step with the configured keys. Making a new version active in configuration starts
/// a rotation: that version is recorded ACTIVE and the previous one DECRYPT_ONLY until re-encryption retires it.
/// A version the table still needs but configuration lacks, or a key that is not the one recorded, stops start-up.
/// </summary>
public sealed class EncryptionKeyRegistry(DbConnectionFactory connections, PiiProtector protector, TimeProvider time)
{
    public const string Active = "ACTIVE";
    public const string DecryptOnly = "DECRYPT_ONLY";
    public const string Retired = "RETIRED";

    public sealed record KeyRow(int Version, string State, byte[] KeyCheck);

    public async Task<IReadOnlyList<KeyRow>> ListAsync(CancellationToken cancellationToken = default)
    {
        await using var connection = await connections.OpenAsync(cancellationToken);
        return (await connection.QueryAsync<KeyRow>(
            "SELECT version AS Version, state AS State, key_check AS KeyCheck FROM encryption_keys ORDER BY version")).AsList();
    }

    /// <summary>Records the configured active version; returns true when that started a rotation (another version became DECRYPT_ONLY).</summary>
    public Task<bool> RecordActiveVersionAsync(CancellationToken cancellationToken = default) =>
        DeadlockRetry.RunAsync(() => RecordActiveVersionOnceAsync(cancellationToken), "encryption keys");

    private async Task<bool> RecordActiveVersionOnceAsync(CancellationToken cancellationToken = default)
    {
        var active = protector.ActiveKeyVersion;
        await using var connection = await connections.OpenAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var rows = (await connection.QueryAsync<KeyRow>(
            "SELECT version AS Version, state AS State, key_check AS KeyCheck FROM encryption_keys ORDER BY version FOR UPDATE",
            transaction: transaction)).AsList();
        Check(rows);
        var current = rows.FirstOrDefault(r => r.Version == active);
        if (current is { State: Retired })
        {
            throw new ConfigurationException($"{PiiOptions.Section}:ActiveKeyVersion: version {active} was retired; a retired version is never used again, configure a new one");
        }

        var started = false;
        if (current is null)
        {
            await connection.ExecuteAsync(
                "INSERT INTO encryption_keys (version, state, key_check, created_at) VALUES (@active, @state, @check, @now)",
                new { active, state = Active, check = protector.KeyCheckValue(active), now = time.GetUtcNow().UtcDateTime }, transaction);
        }

        if (current is not { State: Active })
        {
            started = await connection.ExecuteAsync(
                "UPDATE encryption_keys SET state = @decryptOnly WHERE state = @activeState AND version <> @active",
                new { decryptOnly = DecryptOnly, activeState = Active, active }, transaction) > 0;
            await connection.ExecuteAsync(
                "UPDATE encryption_keys SET state = @activeState WHERE version = @active", new { activeState = Active, active }, transaction);
        }

        await transaction.CommitAsync(cancellationToken);
        return started;
    }

    public async Task<int> RetireDecryptOnlyAsync(MySqlConnection connection, MySqlTransaction transaction) =>
        await connection.ExecuteAsync(
            "UPDATE encryption_keys SET state = @retired, retired_at = @now WHERE state = @decryptOnly",
            new { retired = Retired, decryptOnly = DecryptOnly, now = time.GetUtcNow().UtcDateTime }, transaction);

    private void Check(IEnumerable<KeyRow> rows)
    {
        foreach (var row in rows.Where(r => r.State != Retired))
        {
            if (!protector.KeyVersions.Contains(row.Version))
            {
                throw new ConfigurationException(
                    $"{PiiOptions.Section}:Keys:{row.Version}: encryption_keys lists version {row.Version} as {row.State}, but no key is configured for it; stored values could not be read");
            }

            if (!row.KeyCheck.AsSpan().SequenceEqual(protector.KeyCheckValue(row.Version)))
            {
                throw new ConfigurationException(
                    $"{PiiOptions.Section}:Keys:{row.Version}: the configured key is not the key recorded for version {row.Version}");
            }
        }
    }
}

/// <summary>Checks the configured keys against <c>encryption_keys</c> when the process starts (after migrations).</summary>
public sealed class EncryptionKeyStartupCheck(EncryptionKeyRegistry registry, ILogger<EncryptionKeyStartupCheck> logger) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        try
        {
            await registry.RecordActiveVersionAsync(cancellationToken);
        }
        catch (MySqlException ex) when (ex.ErrorCode == MySqlErrorCode.NoSuchTable)
        {
            // Not migrated yet (MigrateOnStart off): readiness reports it; the check runs at the next start.
            logger.LogWarning("encryption_keys does not exist yet; key check skipped until the database is migrated");
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
