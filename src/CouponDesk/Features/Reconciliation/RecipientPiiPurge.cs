using CouponDesk.Data;
using CouponDesk.Features.Privacy;
using Dapper;

namespace CouponDesk.Features.Reconciliation;

/// <summary>
/// Destroys recipients' phone (ciphertext and blind index) and name (spec §7.5–§7.6) once the retention after the item
/// finished has passed (<see cref="FinishedItems"/>), and the rows of lists that never became delivery items (replaced,
/// discarded or left staged; campaigns cancelled or deleted) the same time after the list or campaign ended. Batches of
/// 1,000; counts the rows it destroyed. Campaigns on 보존 연장 are skipped.
/// </summary>
public sealed class RecipientPiiPurge(DbConnectionFactory connections) : IPiiPurgeStep
{
    private const int Batch = 1000;

    public string Name => "recipients.phone_name";

    public async Task PurgeAsync(PiiPurgeContext context, CancellationToken cancellationToken)
    {
        var args = FinishedItems.Args(context.NowUtc, context.RetentionAfterFinish);
        await using var c = await connections.OpenAsync(cancellationToken);
        foreach (var select in new[] { ItemRows, UnusedListRows })
        {
            while (true)
            {
                var rows = (await c.QueryAsync<(long ListId, int Seq)>(new CommandDefinition(select, args, cancellationToken: cancellationToken))).ToList();
                foreach (var list in rows.GroupBy(r => r.ListId))
                {
                    context.Count(await c.ExecuteAsync(new CommandDefinition(
                        "UPDATE recipient_list_rows SET phone_enc = NULL, phone_bidx = NULL, name_enc = NULL WHERE list_id = @listId AND seq IN @seqs AND phone_enc IS NOT NULL",
                        new { listId = list.Key, seqs = list.Select(r => r.Seq).ToArray() }, cancellationToken: cancellationToken)));
                }

                if (rows.Count < Batch)
                {
                    break;
                }
            }
        }
    }

    private static readonly string ItemRows = $"""
        SELECT r.list_id, r.seq FROM delivery_items d
        JOIN recipient_list_rows r ON r.list_id = d.list_id AND r.seq = d.seq
        JOIN campaigns cp ON cp.id = d.campaign_id
        LEFT JOIN campaign_runs run ON run.campaign_id = d.campaign_id
        LEFT JOIN coupons k ON k.id = d.coupon_id
        WHERE r.phone_enc IS NOT NULL
          AND {FinishedItems.ItemFinished} AND {LegalHolds.NotHeld("d.campaign_id")}
        ORDER BY r.list_id, r.seq LIMIT 1000
        """;

    private static readonly string UnusedListRows = $"""
        SELECT r.list_id, r.seq FROM recipient_list_rows r
        JOIN recipient_lists l ON l.id = r.list_id
        JOIN campaigns cp ON cp.id = l.campaign_id
        LEFT JOIN campaign_runs run ON run.campaign_id = l.campaign_id
        WHERE r.phone_enc IS NOT NULL
          AND NOT EXISTS (SELECT 1 FROM delivery_items d WHERE d.list_id = r.list_id AND d.seq = r.seq)
          AND ((l.status <> 'ACCEPTED' AND l.created_at < @cutoff) OR {FinishedItems.CampaignFinished}) AND {LegalHolds.NotHeld("l.campaign_id")}
        ORDER BY r.list_id, r.seq LIMIT 1000
        """;
}
