using CouponDesk.Data;
using CouponDesk.Features.Audit;
using CouponDesk.Hosting.Liveness;
using Dapper;

namespace CouponDesk.Features.Exports;

/// <summary>The <c>exports</c> rows: requests, claims by a generating process, outcomes and expiry (spec §4.8).</summary>
public sealed class ExportStore(DbConnectionFactory connections, AuditTrail audit, ExportOptions options, ProcessIdentity identity, TimeProvider time)
{
    public sealed record NewExport(string Kind, long? CampaignId, string? Filters, bool Unmasked, string? Reason, long RequestedBy, string FileName);

    /// <summary>Stores the request and its audit event in one transaction; null when the user has too many exports pending.</summary>
    public async Task<long?> CreateAsync(NewExport export, AuditEntry requested, CancellationToken ct) =>
        await DeadlockRetry.RunAsync(async () =>
        {
            await using var connection = await connections.OpenAsync(ct);
            await using var transaction = await connection.BeginTransactionAsync(ct);
            var pending = await connection.ExecuteScalarAsync<long>(new CommandDefinition(
                "SELECT COUNT(*) FROM exports WHERE requested_by = @RequestedBy AND status IN ('REQUESTED', 'GENERATING') FOR UPDATE",
                export, transaction, cancellationToken: ct));
            if (pending >= options.MaxPendingPerUser)
            {
                await transaction.RollbackAsync(ct);
                return (long?)null;
            }

            var id = await connection.ExecuteScalarAsync<long>(new CommandDefinition(
                """
                INSERT INTO exports (kind, campaign_id, filters, unmasked, reason, requested_by, status, file_name, requested_at)
                VALUES (@Kind, @CampaignId, @Filters, @Unmasked, @Reason, @RequestedBy, 'REQUESTED', @FileName, @now);
                SELECT LAST_INSERT_ID();
                """,
                new { export.Kind, export.CampaignId, export.Filters, export.Unmasked, export.Reason, export.RequestedBy, export.FileName, now = Now() },
                transaction, cancellationToken: ct));
            await audit.WriteAsync(requested with { TargetId = id.ToString(System.Globalization.CultureInfo.InvariantCulture) }, connection, transaction, ct);
            await transaction.CommitAsync(ct);
            return id;
        }, "export request");

    public async Task<ExportRecord?> FindAsync(long id, CancellationToken ct)
    {
        await using var connection = await connections.OpenAsync(ct);
        return await connection.QuerySingleOrDefaultAsync<ExportRecord>(new CommandDefinition(
            $"SELECT {ExportRecord.Columns} FROM exports WHERE id = @id", new { id }, cancellationToken: ct));
    }

    /// <summary>The user's exports of the last <paramref name="days"/> days, newest first (다운로드 내역).</summary>
    public async Task<IReadOnlyList<ExportRecord>> MineAsync(long userId, int days, int limit, CancellationToken ct)
    {
        await using var connection = await connections.OpenAsync(ct);
        return [.. await connection.QueryAsync<ExportRecord>(new CommandDefinition(
            $"SELECT {ExportRecord.Columns} FROM exports WHERE requested_by = @userId AND requested_at >= @since ORDER BY id DESC LIMIT @limit",
            new { userId, since = Now().AddDays(-days), limit }, cancellationToken: ct))];
    }

    /// <summary>The oldest export waiting, or one whose generating process stopped answering.</summary>
    public async Task<long?> NextAsync(CancellationToken ct)
    {
        await using var connection = await connections.OpenAsync(ct);
        return await connection.ExecuteScalarAsync<long?>(new CommandDefinition(
            "SELECT id FROM exports WHERE status = 'REQUESTED' OR (status = 'GENERATING' AND claim_until < @now) ORDER BY id LIMIT 1",
            new { now = Now() }, cancellationToken: ct));
    }

    /// <summary>Takes an export for generation (one process wins); false when it is not (or no longer) waiting.</summary>
    public async Task<bool> ClaimAsync(long id, CancellationToken ct)
    {
        await using var connection = await connections.OpenAsync(ct);
        var now = Now();
        return await connection.ExecuteAsync(new CommandDefinition(
            """
            UPDATE exports SET status = 'GENERATING', claimed_by = @me, claim_until = @until, attempts = attempts + 1
            WHERE id = @id AND (status = 'REQUESTED' OR (status = 'GENERATING' AND claim_until < @now))
            """,
            new { id, me = identity.InstanceId, until = now.AddSeconds(options.ClaimSeconds), now }, cancellationToken: ct)) == 1;
    }

    public async Task<bool> CompleteAsync(long id, string filePath, int rows, long bytes, CancellationToken ct)
    {
        await using var connection = await connections.OpenAsync(ct);
        var now = Now();
        return await connection.ExecuteAsync(new CommandDefinition(
            """
            UPDATE exports SET status = 'READY', file_path = @filePath, row_count = @rows, file_bytes = @bytes, ready_at = @now, expires_at = @expires, claim_until = NULL
            WHERE id = @id AND status = 'GENERATING' AND claimed_by = @me
            """,
            new { id, filePath, rows, bytes, now, expires = now + ExportOptions.Window, me = identity.InstanceId }, cancellationToken: ct)) == 1;
    }

    /// <summary>After a failed attempt: back to REQUESTED for another try, or FAILED once the attempts are used.</summary>
    public async Task FailAsync(long id, string error, CancellationToken ct)
    {
        await using var connection = await connections.OpenAsync(ct);
        await connection.ExecuteAsync(new CommandDefinition(
            """
            UPDATE exports SET status = IF(attempts >= @max, 'FAILED', 'REQUESTED'), error = @error, claim_until = NULL,
                               finished_at = IF(attempts >= @max, @now, NULL)
            WHERE id = @id AND status = 'GENERATING' AND claimed_by = @me
            """,
            new { id, error, max = options.MaxAttempts, now = Now(), me = identity.InstanceId }, cancellationToken: ct));
    }

    /// <summary>READY exports past their window: (id, file) to delete.</summary>
    public async Task<IReadOnlyList<(long Id, string? FilePath)>> DueForExpiryAsync(int limit, CancellationToken ct)
    {
        await using var connection = await connections.OpenAsync(ct);
        return [.. await connection.QueryAsync<(long, string?)>(new CommandDefinition(
            "SELECT id, file_path FROM exports WHERE status = 'READY' AND expires_at <= @now ORDER BY expires_at LIMIT @limit",
            new { now = Now(), limit }, cancellationToken: ct))];
    }

    public async Task MarkExpiredAsync(long id, CancellationToken ct)
    {
        await using var connection = await connections.OpenAsync(ct);
        await connection.ExecuteAsync(new CommandDefinition(
            "UPDATE exports SET status = 'EXPIRED', file_path = NULL, finished_at = @now WHERE id = @id AND status = 'READY'",
            new { id, now = Now() }, cancellationToken: ct));
    }

    private DateTime Now() => time.GetUtcNow().UtcDateTime;
}
