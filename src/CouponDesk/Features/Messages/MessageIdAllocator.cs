using CouponDesk.Data;
using Dapper;

namespace CouponDesk.Features.Messages;

/// <summary>
/// Hands out message ids in blocks. Runs on its own connection in autocommit, outside the caller's transaction: a
/// batch that rolls back leaves a gap, so an id — and the CLIENT_KEY built from it — is never handed out twice, and
/// concurrent writers do not queue behind one another's open transactions.
/// </summary>
public sealed class MessageIdAllocator(DbConnectionFactory connections)
{
    /// <summary>The first of <paramref name="count"/> consecutive, never-used ids.</summary>
    public async Task<long> AllocateAsync(int count, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(count, 1);
        await using var connection = await connections.OpenAsync(cancellationToken);
        var next = await connection.ExecuteScalarAsync<long>(new CommandDefinition(
            """
            UPDATE id_blocks SET next_value = LAST_INSERT_ID(next_value + @count) WHERE name = 'messages';
            SELECT LAST_INSERT_ID();
            """,
            new { count },
            cancellationToken: cancellationToken));
        return next - count;
    }
}
