using CouponDesk.Data;
using Dapper;

namespace CouponDesk.Features.Audit;

/// <summary>
/// Walks the chain from the retention anchor to the head and reports the first row whose predecessor link or own hash
/// does not match: an edited, deleted or inserted row, or a truncated tail.
/// </summary>
public sealed class AuditVerifier(DbConnectionFactory connections, AuditChain chain)
{
    private const int PageSize = 5_000;

    public sealed record Result(bool Intact, long RowsChecked, long? FirstBrokenId, string Message);

    public async Task<Result> VerifyAsync(CancellationToken cancellationToken = default)
    {
        await using var connection = await connections.OpenAsync(cancellationToken);
        var head = await connection.QuerySingleAsync<(long LastId, byte[] LastHash, long AnchorId, byte[] AnchorHash)>(
            "SELECT last_id, last_hash, anchor_id, anchor_hash FROM audit_chain_head WHERE id = 1");
        // Rows appended while we walk are after head.LastId and left for the next run.
        var expectedPrevious = head.AnchorHash;
        var cursor = head.AnchorId;
        long checkedRows = 0;
        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var rows = (await connection.QueryAsync<AuditRow>(
                $"SELECT {AuditRow.Columns} FROM audit_log WHERE id > @cursor AND id <= @last ORDER BY id LIMIT {PageSize}", new { cursor, last = head.LastId })).AsList();
            foreach (var row in rows)
            {
                if (!row.PrevHash.AsSpan().SequenceEqual(expectedPrevious))
                {
                    return new Result(false, checkedRows, row.Id, $"row {row.Id} does not link to its predecessor: a row before it was removed, inserted or edited");
                }

                if (!chain.Hash(row.PrevHash, row).AsSpan().SequenceEqual(row.RowHash))
                {
                    return new Result(false, checkedRows, row.Id, $"row {row.Id} was altered: its content does not match its hash");
                }

                expectedPrevious = row.RowHash;
                cursor = row.Id;
                checkedRows++;
            }

            if (rows.Count < PageSize)
            {
                break;
            }
        }

        if (cursor != head.LastId || !expectedPrevious.AsSpan().SequenceEqual(head.LastHash))
        {
            return new Result(false, checkedRows, cursor + 1, $"the chain ends at row {cursor} but the head records row {head.LastId}: rows at the end were removed");
        }

        return new Result(true, checkedRows, null, $"{checkedRows} rows verified, chain intact");
    }
}
