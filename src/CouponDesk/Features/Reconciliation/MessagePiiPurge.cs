using CouponDesk.Data;
using CouponDesk.Features.Messages;
using CouponDesk.Features.Privacy;
using Dapper;

namespace CouponDesk.Features.Reconciliation;

/// <summary>
/// Destroys the phone number (ciphertext) a message went to (spec §7.5 "phones on messages") once the retention after
/// its coupon finished has passed (<see cref="FinishedItems"/>); a message without a coupon counts from its result.
/// Messages still waiting for the agent keep theirs. The agent's own tables are cleared by the agent-log scrub.
/// </summary>
public sealed class MessagePiiPurge(DbConnectionFactory connections) : IPiiPurgeStep
{
    private const int Batch = 1000;

    public string Name => "messages.phone";

    public async Task<long> PurgeAsync(PiiPurgeContext context, CancellationToken cancellationToken)
    {
        var args = FinishedItems.Args(context.NowUtc, context.RetentionAfterFinish);
        await using var c = await connections.OpenAsync(cancellationToken);
        long total = 0;
        while (true)
        {
            var ids = (await c.QueryAsync<long>(new CommandDefinition(
                $"""
                SELECT m.id FROM messages m LEFT JOIN coupons k ON k.id = m.coupon_id
                WHERE m.phone_enc IS NOT NULL AND m.status <> '{MessageStatus.Ready}'
                  AND ((m.coupon_id IS NOT NULL AND {FinishedItems.CouponFinished}) OR (m.coupon_id IS NULL AND COALESCE(m.result_at, m.updated_at) < @cutoff))
                LIMIT {Batch}
                """, args, cancellationToken: cancellationToken))).ToArray();
            if (ids.Length > 0)
            {
                total += await c.ExecuteAsync(new CommandDefinition(
                    "UPDATE messages SET phone_enc = NULL WHERE id IN @ids AND phone_enc IS NOT NULL", new { ids }, cancellationToken: cancellationToken));
            }

            if (ids.Length < Batch)
            {
                return total;
            }
        }
    }
}

/// <summary>Coupon numbers typed in for a settlement: destroyed the retention after their cancel got its final answer (last 4 kept).</summary>
public sealed class InDoubtCouponNumberPurge(DbConnectionFactory connections) : IPiiPurgeStep
{
    public string Name => "in_doubt.coupon_numbers";

    public async Task<long> PurgeAsync(PiiPurgeContext context, CancellationToken cancellationToken)
    {
        await using var c = await connections.OpenAsync(cancellationToken);
        return await c.ExecuteAsync(new CommandDefinition(
            """
            UPDATE in_doubt_cancels SET coupon_number_enc = NULL, coupon_number_index = NULL
            WHERE status IN ('DONE', 'REFUSED') AND updated_at < @cutoff AND coupon_number_enc IS NOT NULL
            """, new { cutoff = context.NowUtc - context.RetentionAfterFinish }, cancellationToken: cancellationToken));
    }
}
