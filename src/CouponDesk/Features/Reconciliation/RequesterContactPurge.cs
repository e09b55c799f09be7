using CouponDesk.Data;
using CouponDesk.Features.Campaigns;
using CouponDesk.Features.Privacy;

namespace CouponDesk.Features.Reconciliation;

/// <summary>
/// The client contact's name, phone (with its blind index) and e-mail erased 2 years after the campaign finished (spec
/// §7.5 "requester … 2 years, with the campaign"); a draft never submitted counts from its last change. Held campaigns
/// keep theirs. The campaign row stays (business record); the page shows "-" for the erased fields.
/// </summary>
public sealed class RequesterContactPurge(DbConnectionFactory connections) : IPiiPurgeStep
{
    public string Name => "campaigns.requester";

    public Task PurgeAsync(PiiPurgeContext context, CancellationToken cancellationToken) => PurgeBatches.ByIdAsync(
        connections,
        $"""
        SELECT cp.id FROM campaigns cp LEFT JOIN campaign_runs run ON run.campaign_id = cp.id
        WHERE (cp.client_requester_enc IS NOT NULL OR cp.requester_phone_enc IS NOT NULL OR cp.requester_phone_bidx IS NOT NULL OR cp.requester_email_enc IS NOT NULL)
          AND ({FinishedItems.CampaignFinished} OR (cp.status = '{CampaignStatus.Draft}' AND cp.updated_at < @cutoff))
          AND {LegalHolds.NotHeld("cp.id")}
        """,
        """
        UPDATE campaigns SET client_requester_enc = NULL, requester_phone_enc = NULL, requester_phone_bidx = NULL, requester_email_enc = NULL
        WHERE id IN @ids AND (client_requester_enc IS NOT NULL OR requester_phone_enc IS NOT NULL OR requester_phone_bidx IS NOT NULL OR requester_email_enc IS NOT NULL)
        """,
        FinishedItems.Args(context.NowUtc, TimeSpan.FromDays(context.Options.RequesterRetentionDays)),
        context,
        cancellationToken);
}
