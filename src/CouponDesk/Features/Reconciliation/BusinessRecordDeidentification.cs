using CouponDesk.Data;
using CouponDesk.Features.Privacy;
using Dapper;

namespace CouponDesk.Features.Reconciliation;

/// <summary>
/// Send and coupon records de-identified 2 years after their campaign finished (spec §5.8 monthly, §7.5): what still
/// ties a record to one coupon or person is removed — the coupons' last 4 digits, the exchange-push log's masked body,
/// masked number, index and sender address — and anything personal the daily purge left (it runs again here, whatever
/// the coupon's state). What stays is the campaign, its counts and states, TR_ID / ORDER_ID / DONE_CODE: the totals
/// reports need. Each campaign is done in one transaction and marked, so a run that stops part-way resumes with the
/// next campaign and counts nothing twice. Counts changed rows. Held campaigns are skipped.
/// </summary>
public sealed class BusinessRecordDeidentification(DbConnectionFactory connections) : IPiiPurgeStep
{
    public string Name => "business_records.deidentified";

    public PurgeSchedule Schedule => PurgeSchedule.Monthly;

    public async Task PurgeAsync(PiiPurgeContext context, CancellationToken cancellationToken)
    {
        var args = FinishedItems.Args(context.NowUtc, TimeSpan.FromDays(context.Options.BusinessRecordRetentionDays));
        await using var c = await connections.OpenAsync(cancellationToken);
        var campaigns = (await c.QueryAsync<long>(new CommandDefinition(
            $"""
            SELECT cp.id FROM campaigns cp LEFT JOIN campaign_runs run ON run.campaign_id = cp.id
            WHERE cp.deidentified_at IS NULL AND {FinishedItems.CampaignFinished} AND {LegalHolds.NotHeld("cp.id")}
            ORDER BY cp.id
            """, args, cancellationToken: cancellationToken))).ToList();
        foreach (var campaignId in campaigns)
        {
            await using var tx = await c.BeginTransactionAsync(cancellationToken);
            var p = new { campaignId, now = context.NowUtc };
            long changed = 0;
            foreach (var sql in Statements)
            {
                changed += await c.ExecuteAsync(new CommandDefinition(sql, p, tx, cancellationToken: cancellationToken));
            }

            await c.ExecuteAsync(new CommandDefinition("UPDATE campaigns SET deidentified_at = @now WHERE id = @campaignId", p, tx, cancellationToken: cancellationToken));
            await tx.CommitAsync(cancellationToken);
            context.Count(changed);
        }
    }

    private const string CampaignCoupons = "SELECT k.id FROM coupons k JOIN issuance_orders o ON o.id = k.order_ref WHERE o.campaign_id = @campaignId";

    private static readonly string[] Statements =
    [
        $"""
        UPDATE coupon_exchange_pushes SET body_masked = NULL, coupon_number_masked = NULL, coupon_number_index = NULL, remote_address = NULL
        WHERE coupon_id IN ({CampaignCoupons}) AND (body_masked IS NOT NULL OR coupon_number_masked IS NOT NULL OR coupon_number_index IS NOT NULL OR remote_address IS NOT NULL)
        """,
        """
        UPDATE coupons k JOIN issuance_orders o ON o.id = k.order_ref SET k.coupon_number_enc = NULL, k.coupon_number_index = NULL, k.coupon_number_last4 = ''
        WHERE o.campaign_id = @campaignId AND (k.coupon_number_enc IS NOT NULL OR k.coupon_number_last4 <> '')
        """,
        """
        UPDATE in_doubt_cancels x JOIN issuance_orders o ON o.id = x.order_id SET x.coupon_number_enc = NULL, x.coupon_number_index = NULL, x.coupon_number_last4 = ''
        WHERE o.campaign_id = @campaignId AND (x.coupon_number_enc IS NOT NULL OR x.coupon_number_last4 <> '')
        """,
        """
        UPDATE recipient_list_rows r JOIN recipient_lists l ON l.id = r.list_id SET r.phone_enc = NULL, r.phone_bidx = NULL, r.name_enc = NULL
        WHERE l.campaign_id = @campaignId AND (r.phone_enc IS NOT NULL OR r.phone_bidx IS NOT NULL OR r.name_enc IS NOT NULL)
        """,
        "DELETE e FROM recipient_list_errors e JOIN recipient_lists l ON l.id = e.list_id WHERE l.campaign_id = @campaignId",
        "UPDATE messages SET phone_enc = NULL WHERE campaign_id = @campaignId AND phone_enc IS NOT NULL",
        "UPDATE cs_actions SET memo_enc = NULL WHERE campaign_id = @campaignId AND memo_enc IS NOT NULL",
        """
        UPDATE phone_changes SET old_phone_enc = NULL, old_phone_bidx = NULL, new_phone_enc = NULL, new_phone_bidx = NULL
        WHERE campaign_id = @campaignId AND (old_phone_enc IS NOT NULL OR new_phone_enc IS NOT NULL OR old_phone_bidx IS NOT NULL OR new_phone_bidx IS NOT NULL)
        """,
        """
        UPDATE campaigns SET client_requester_enc = NULL, requester_phone_enc = NULL, requester_phone_bidx = NULL, requester_email_enc = NULL
        WHERE id = @campaignId AND (client_requester_enc IS NOT NULL OR requester_phone_enc IS NOT NULL OR requester_phone_bidx IS NOT NULL OR requester_email_enc IS NOT NULL)
        """,
    ];
}
