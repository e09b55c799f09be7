using CouponDesk.Data;
using CouponDesk.Shared.Logging;
using Dapper;
using MySqlConnector;

namespace CouponDesk.Features.Audit;

/// <summary>
/// Appends audit rows to the hash chain. Call it inside your own transaction (the row commits or rolls back with your
/// change) or let it open its own.
/// <para>
/// Concurrency: the writer locks the single <c>audit_chain_head</c> row with <c>SELECT … FOR UPDATE</c> in the caller's
/// transaction, so appends are serialised and each row chains to exactly one predecessor. The lock is held until the
/// caller commits: write the audit row as the LAST statement of a transaction, so the lock is held for milliseconds.
/// A row lock (rather than <c>GET_LOCK</c>) is released by commit or rollback automatically and cannot leak when a
/// connection dies. On a Galera cluster the lock is local to a node, but every append WRITES the head row, so two
/// appends on two nodes are certified in one order and the later one fails with 1213 and is run again whole.
/// </para>
/// </summary>
public sealed class AuditTrail(DbConnectionFactory connections, AuditChain chain, TimeProvider time)
{
    public async Task WriteAsync(AuditEntry entry, CancellationToken cancellationToken = default)
    {
        await using var connection = await connections.OpenAsync(cancellationToken);
        await WriteAsync(entry, connection, null, cancellationToken);
    }

    public async Task WriteAsync(AuditEntry entry, MySqlConnection connection, MySqlTransaction? transaction, CancellationToken cancellationToken = default)
    {
        if (transaction is null)
        {
            // Its own transaction is run again whole when it loses a conflict for the chain head (on a cluster, two
            // nodes appending at once: one is certified first, the other re-reads the head). A caller's transaction is
            // the caller's to retry.
            await DeadlockRetry.RunAsync(async () =>
            {
                await using var own = await connection.BeginTransactionAsync(cancellationToken);
                await AppendAsync(entry, connection, own);
                await own.CommitAsync(cancellationToken);
            }, "audit append");
            return;
        }

        await AppendAsync(entry, connection, transaction);
    }

    private async Task AppendAsync(AuditEntry entry, MySqlConnection connection, MySqlTransaction transaction)
    {
        var previous = await connection.ExecuteScalarAsync<byte[]>(
            "SELECT last_hash FROM audit_chain_head WHERE id = 1 FOR UPDATE", transaction: transaction)
            ?? throw new InvalidOperationException("audit_chain_head has no row: the database is not migrated");
        var now = time.GetUtcNow().UtcDateTime;
        var row = ToRow(entry, new DateTime(now.Ticks - (now.Ticks % 10), DateTimeKind.Utc));
        var hash = chain.Hash(previous, row);
        var id = await connection.ExecuteScalarAsync<long>(
            """
            INSERT INTO audit_log (occurred_at, actor_user_id, actor_login, source_ip, user_agent, correlation_id, action, target_type,
                                   target_id, subject, outcome, reason, details, prev_hash, row_hash)
            VALUES (@OccurredAt, @ActorUserId, @ActorLogin, @SourceIp, @UserAgent, @CorrelationId, @Action, @TargetType,
                    @TargetId, @Subject, @Outcome, @Reason, @Details, @prev, @hash);
            SELECT LAST_INSERT_ID();
            """,
            new { row.OccurredAt, row.ActorUserId, row.ActorLogin, row.SourceIp, row.UserAgent, row.CorrelationId, row.Action, row.TargetType, row.TargetId, row.Subject, row.Outcome, row.Reason, row.Details, prev = previous, hash },
            transaction);
        await connection.ExecuteAsync("UPDATE audit_chain_head SET last_id = @id, last_hash = @hash WHERE id = 1", new { id, hash }, transaction);
    }

    /// <summary>Masks every free-text field (a login id typed as a phone number, a coupon number in a reason) and fits the column sizes.</summary>
    private static AuditRow ToRow(AuditEntry entry, DateTime occurredAt) => new()
    {
        OccurredAt = occurredAt,
        ActorUserId = entry.ActorUserId,
        ActorLogin = Clean(entry.ActorLogin, 64),
        SourceIp = Fit(entry.SourceIp, 45),
        UserAgent = Clean(entry.UserAgent, 256),
        CorrelationId = Clean(entry.CorrelationId, 64),
        Action = Fit(entry.Action, 64)!,
        TargetType = Fit(entry.TargetType, 32),
        TargetId = Clean(entry.TargetId, 64),
        Subject = Clean(entry.Subject, 128),
        Outcome = Fit(entry.Outcome, 16)!,
        Reason = Clean(entry.Reason, 256),
        Details = entry.Details is null ? null : AuditDetails.Serialize(entry.Details.ToDictionary(d => d.Key, d => d.Value is null ? null : SensitiveDataMasker.Mask(d.Value))),
    };

    private static string? Clean(string? value, int max) => Fit(value is null ? null : SensitiveDataMasker.Mask(value), max);

    private static string? Fit(string? value, int max) => value is null || value.Length <= max ? value : value[..max];
}
