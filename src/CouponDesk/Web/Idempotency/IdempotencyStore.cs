using CouponDesk.Data;
using Dapper;
using MySqlConnector;

namespace CouponDesk.Web.Idempotency;

/// <summary>A stored request: its fingerprint, its state and (once done) the answer to replay.</summary>
public sealed record IdempotencyRecord(byte[] RequestHash, string State, int? StatusCode, string? ContentType, byte[]? Body, DateTime CreatedAt);

/// <summary>
/// The <c>idempotency_keys</c> table. A request claims its (user, key) with an INSERT: the primary key makes exactly one
/// of two concurrent requests with the same key the one that runs; the other sees the row.
/// </summary>
public sealed class IdempotencyStore(DbConnectionFactory connections, TimeProvider time)
{
    public const string InProgress = "IN_PROGRESS";
    public const string Done = "DONE";

    /// <summary>Answers larger than this are not stored: a retry is told the request was already processed.</summary>
    public const int MaxStoredBody = 64 * 1024;

    public static readonly TimeSpan Retention = TimeSpan.FromHours(24);

    /// <summary>A request still IN_PROGRESS this long after it started belongs to a process that died: it may be run again.</summary>
    public static readonly TimeSpan Abandoned = TimeSpan.FromMinutes(5);

    /// <summary>Claims the key; null when claimed, else the existing row.</summary>
    public async Task<IdempotencyRecord?> TryBeginAsync(long userId, string key, byte[] hash, string method, string path, CancellationToken ct)
    {
        var now = time.GetUtcNow().UtcDateTime;
        await using var c = await connections.OpenAsync(ct);
        if (Random.Shared.Next(200) == 0)
        {
            await c.ExecuteAsync(new CommandDefinition("DELETE FROM idempotency_keys WHERE created_at < @cutoff LIMIT 1000", new { cutoff = now - Retention }, cancellationToken: ct));
        }

        try
        {
            await c.ExecuteAsync(new CommandDefinition(
                """
                INSERT INTO idempotency_keys (user_id, idem_key, request_hash, method, path, state, created_at)
                VALUES (@userId, @key, @hash, @method, @path, @state, @now)
                """, new { userId, key, hash, method, path = path.Length > 300 ? path[..300] : path, state = InProgress, now }, cancellationToken: ct));
            return null;
        }
        catch (MySqlException ex) when (ex.ErrorCode == MySqlErrorCode.DuplicateKeyEntry)
        {
            var existing = await c.QuerySingleOrDefaultAsync<IdempotencyRecord>(new CommandDefinition(
                """
                SELECT request_hash AS RequestHash, state AS State, status_code AS StatusCode, content_type AS ContentType, body AS Body, created_at AS CreatedAt
                FROM idempotency_keys WHERE user_id = @userId AND idem_key = @key
                """, new { userId, key }, cancellationToken: ct));
            if (existing is { State: InProgress } && now - DateTime.SpecifyKind(existing.CreatedAt, DateTimeKind.Utc) > Abandoned
                && existing.RequestHash.AsSpan().SequenceEqual(hash))
            {
                // Take the abandoned claim over (only one taker wins the conditional update).
                var taken = await c.ExecuteAsync(new CommandDefinition(
                    "UPDATE idempotency_keys SET created_at = @now WHERE user_id = @userId AND idem_key = @key AND state = @state AND created_at = @was",
                    new { userId, key, now, state = InProgress, was = existing.CreatedAt }, cancellationToken: ct));
                return taken == 1 ? null : existing;
            }

            return existing ?? new IdempotencyRecord(hash, InProgress, null, null, null, now);
        }
    }

    public async Task CompleteAsync(long userId, string key, int statusCode, string? contentType, byte[]? body, CancellationToken ct)
    {
        await using var c = await connections.OpenAsync(ct);
        await c.ExecuteAsync(new CommandDefinition(
            """
            UPDATE idempotency_keys SET state = @state, status_code = @statusCode, content_type = @contentType, body = @body, completed_at = @now
            WHERE user_id = @userId AND idem_key = @key
            """,
            new { userId, key, state = Done, statusCode, contentType = contentType is { Length: > 100 } ? contentType[..100] : contentType, body, now = time.GetUtcNow().UtcDateTime },
            cancellationToken: ct));
    }

    /// <summary>Forgets a request that failed on the server (5xx, exception): a retry with the same key runs again.</summary>
    public async Task ForgetAsync(long userId, string key, CancellationToken ct)
    {
        await using var c = await connections.OpenAsync(ct);
        await c.ExecuteAsync(new CommandDefinition("DELETE FROM idempotency_keys WHERE user_id = @userId AND idem_key = @key", new { userId, key }, cancellationToken: ct));
    }
}
