using CouponDesk.Data;
using CouponDesk.Data.Leases;
using CouponDesk.Features.Audit;
using CouponDesk.Security.Pii;
using Dapper;
using MySqlConnector;

namespace CouponDesk.Features.Privacy;

/// <summary>
/// Re-encrypts every registered <see cref="EncryptedColumn"/> with the active key version, then retires the old
/// versions. Each batch re-encrypts rows and advances its progress row in one transaction, so a kill at any instant
/// loses nothing and a restart resumes where the last commit left off. Old keys stay configured (decrypt-only) until
/// a final scan finds no value under them; only then are they RETIRED and may be removed from configuration.
/// One process rotates at a time (the <c>key-rotation</c> lease); each batch is retried whole when it loses a conflict.
/// </summary>
public sealed class KeyRotationService(
    DbConnectionFactory connections,
    NamedLeases leases,
    PiiProtector protector,
    EncryptionKeyRegistry registry,
    IEnumerable<EncryptedColumn> columns,
    KeyRotationOptions options,
    AuditTrail audit,
    ILogger<KeyRotationService> logger)
{
    private const string LeaseName = "key-rotation";
    private const int MaxPasses = 5;

    public sealed record Report(int TargetVersion, long RowsReencrypted, int RetiredVersions, IReadOnlyDictionary<string, long> PerColumn);

    /// <summary>Called after each committed batch (tests use it to simulate a kill halfway).</summary>
    public Action<EncryptedColumn, long>? AfterBatch { get; set; }

    /// <summary>True when some version is DECRYPT_ONLY: a rotation was started and has not finished.</summary>
    public async Task<bool> IsPendingAsync(CancellationToken cancellationToken = default) =>
        (await registry.ListAsync(cancellationToken)).Any(k => k.State == EncryptionKeyRegistry.DecryptOnly);

    public async Task<Report> RotateAsync(CancellationToken cancellationToken = default)
    {
        await using var lease = await leases.TryAcquireAsync(LeaseName, TimeSpan.FromMinutes(1), cancellationToken)
            ?? throw new InvalidOperationException("another process is rotating the PII keys; it will finish the work");
        // The work stops when the lease is lost (this process stalled past it and another took over).
        using var work = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, lease.Lost);
        cancellationToken = work.Token;
        await registry.RecordActiveVersionAsync(cancellationToken);
        var target = protector.ActiveKeyVersion;
        var perColumn = new Dictionary<string, long>();
        for (var pass = 1; ; pass++)
        {
            foreach (var column in columns)
            {
                perColumn[column.ToString()] = perColumn.GetValueOrDefault(column.ToString()) + await ReencryptColumnAsync(column, target, cancellationToken);
            }

            // Processes still running with the old configuration may have written old-version values behind the
            // cursor; the scan finds them, and another pass from the start re-encrypts them.
            var leftovers = await CountOtherVersionsAsync(target, cancellationToken);
            if (leftovers == 0)
            {
                break;
            }

            if (pass == MaxPasses)
            {
                throw new InvalidOperationException($"{leftovers} values are still under old key versions after {MaxPasses} passes; is a process still running with the old Security:Pii:ActiveKeyVersion?");
            }

            await ResetProgressAsync(target, cancellationToken);
        }

        var total = perColumn.Values.Sum();
        var retired = await DeadlockRetry.RunAsync(() => RetireAsync(target, total, cancellationToken), logger, "key rotation: retire");
        logger.LogInformation("PII key rotation to version {Version} finished: {Rows} values re-encrypted, {Retired} versions retired", target, total, retired);
        return new Report(target, total, retired, perColumn);
    }

    private async Task<int> RetireAsync(int target, long total, CancellationToken cancellationToken)
    {
        await using var connection = await connections.OpenAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var retired = await registry.RetireDecryptOnlyAsync(connection, transaction);
        await audit.WriteAsync(
            new AuditEntry
            {
                Action = AuditActions.KeyRotation,
                ActorLogin = AuditEntry.SystemActor,
                TargetType = "encryption_key",
                TargetId = target.ToString(System.Globalization.CultureInfo.InvariantCulture),
                Details = new Dictionary<string, string?> { ["rowsReencrypted"] = total.ToString(System.Globalization.CultureInfo.InvariantCulture), ["retiredVersions"] = retired.ToString(System.Globalization.CultureInfo.InvariantCulture) },
            },
            connection,
            transaction,
            cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return retired;
    }

    private async Task<long> ReencryptColumnAsync(EncryptedColumn column, int target, CancellationToken cancellationToken)
    {
        long done = 0;
        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var changed = await DeadlockRetry.RunAsync(() => ReencryptBatchAsync(column, target, cancellationToken), logger, "key rotation: batch");
            if (changed is null)
            {
                return done;
            }

            done += changed.Value;
            AfterBatch?.Invoke(column, done);
            if (options.PauseMilliseconds > 0)
            {
                await Task.Delay(options.PauseMilliseconds, cancellationToken);
            }
        }
    }

    /// <summary>One batch after the column's progress row, in one transaction; null when the column is done.</summary>
    private async Task<int?> ReencryptBatchAsync(EncryptedColumn column, int target, CancellationToken cancellationToken)
    {
        var (table, col, id) = ($"`{column.Table}`", $"`{column.Column}`", $"`{column.IdColumn}`");
        // A two-part key (recipient_list_rows: list_id, seq) walks in (id, seq) order; the cursor keeps both parts.
        var seq = column.SeqColumn is null ? null : $"`{column.SeqColumn}`";
        var key = new { target, table = column.Table, column = column.Column };
        await using var connection = await connections.OpenAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await connection.ExecuteAsync(
            "INSERT IGNORE INTO key_rotation_progress (target_version, table_name, column_name, last_id, last_seq, rows_reencrypted, updated_at) VALUES (@target, @table, @column, 0, 0, 0, UTC_TIMESTAMP(6))",
            key, transaction);
        var (lastId, lastSeq) = await connection.QuerySingleAsync<(long, long)>(
            "SELECT last_id, last_seq FROM key_rotation_progress WHERE target_version = @target AND table_name = @table AND column_name = @column FOR UPDATE",
            key, transaction);
        var rows = (await connection.QueryAsync<(long Id, long Seq, byte[] Value)>(
            seq is null
                ? $"SELECT {id}, 0, {col} FROM {table} WHERE {id} > @lastId AND {col} IS NOT NULL ORDER BY {id} LIMIT @limit FOR UPDATE"
                : $"SELECT {id}, {seq}, {col} FROM {table} WHERE ({id} > @lastId OR ({id} = @lastId AND {seq} > @lastSeq)) AND {col} IS NOT NULL ORDER BY {id}, {seq} LIMIT @limit FOR UPDATE",
            new { lastId, lastSeq, limit = options.BatchSize }, transaction)).AsList();
        if (rows.Count == 0)
        {
            await transaction.CommitAsync(cancellationToken);
            return null;
        }

        var changed = 0;
        foreach (var (rowId, rowSeq, value) in rows)
        {
            if (PiiProtector.KeyVersionOf(value) == target && (!column.Bound || PiiProtector.IsBound(value)))
            {
                continue;
            }

            var place = seq is null ? column.PlaceOf(rowId) : column.PlaceOf(rowId, rowSeq);
            string clear;
            try
            {
                clear = protector.Decrypt(value, place);
            }
            catch (PiiMisplacedValueException ex)
            {
                // A bound value that is not this row's (copied here): left as it is — it stays unreadable — and reported.
                logger.LogWarning("Key rotation skipped the value at {Place}: {Reason}", place.ToString(), ex.Message);
                continue;
            }

            var reencrypted = protector.Encrypt(clear, target, column.Bound ? place : null);
            await connection.ExecuteAsync(
                $"UPDATE {table} SET {col} = @reencrypted WHERE {id} = @rowId{(seq is null ? "" : $" AND {seq} = @rowSeq")}",
                new { reencrypted, rowId, rowSeq }, transaction);
            changed++;
        }

        await connection.ExecuteAsync(
            "UPDATE key_rotation_progress SET last_id = @last, last_seq = @lastSeq, rows_reencrypted = rows_reencrypted + @changed, updated_at = UTC_TIMESTAMP(6) WHERE target_version = @target AND table_name = @table AND column_name = @column",
            new { last = rows[^1].Id, lastSeq = rows[^1].Seq, changed, key.target, key.table, key.column }, transaction);
        await transaction.CommitAsync(cancellationToken);
        return changed;
    }

    private async Task<long> CountOtherVersionsAsync(int target, CancellationToken cancellationToken)
    {
        await using var connection = await connections.OpenAsync(cancellationToken);
        long total = 0;
        foreach (var column in columns)
        {
            // A bound column's older values (format 0x01) are left over too: the rotation binds them.
            total += await connection.ExecuteScalarAsync<long>(
                $"SELECT COUNT(*) FROM `{column.Table}` WHERE `{column.Column}` IS NOT NULL AND (SUBSTRING(`{column.Column}`, 2, 4) <> @version{(column.Bound ? $" OR SUBSTRING(`{column.Column}`, 1, 1) = @unbound" : "")})",
                new { version = PiiProtector.KeyVersionBytes(target), unbound = PiiProtector.UnboundFormatByte });
        }

        return total;
    }

    private async Task ResetProgressAsync(int target, CancellationToken cancellationToken)
    {
        await using var connection = await connections.OpenAsync(cancellationToken);
        await connection.ExecuteAsync("UPDATE key_rotation_progress SET last_id = 0, last_seq = 0 WHERE target_version = @target", new { target });
    }
}

/// <summary>On worker processes, finishes a rotation that was started (new active version configured) or interrupted.</summary>
public sealed class KeyRotationResumer(KeyRotationService rotation, Hosting.AppRoles roles, ILogger<KeyRotationResumer> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!roles.Worker)
        {
            return;
        }

        try
        {
            if (await rotation.IsPendingAsync(stoppingToken))
            {
                logger.LogInformation("A PII key rotation is pending; re-encrypting in the background");
                await rotation.RotateAsync(stoppingToken);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
        catch (Exception ex) when (ex is MySqlException or InvalidOperationException)
        {
            logger.LogError(ex, "PII key rotation did not finish; it resumes at the next start or with the rotate-keys command");
        }
    }
}
