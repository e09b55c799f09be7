using CouponDesk.Data;
using CouponDesk.Features.Approvals;
using CouponDesk.Features.Privacy;
using CouponDesk.Features.Reconciliation;

namespace CouponDesk.Features.CustomerService;

/// <summary>
/// Two-person approval requests keep their parameters (a new phone number, a reason) and the requester's memo encrypted
/// (D-APR-6); both are destroyed like the C/S memos (spec §7.5): 90 days after the item — or, for a campaign-level
/// request (일괄취소, 일괄 폐기), the campaign — finished, unless the campaign is held. A pending request is left alone (it
/// expires within a day). The request row itself — kind, who, when, outcome, masked summary — stays as the audit record.
/// It lives with C/S, which already reads the approvals and the finished-item rules, so no folder depends on another in a cycle.
/// </summary>
public sealed class ApprovalPiiPurge(DbConnectionFactory connections) : IPiiPurgeStep
{
    public string Name => "approval_requests.params_memo";

    public Task PurgeAsync(PiiPurgeContext context, CancellationToken cancellationToken) => PurgeBatches.ByIdAsync(
        connections,
        $"""
        SELECT r.id FROM approval_requests r
        WHERE (r.params_enc IS NOT NULL OR r.memo_enc IS NOT NULL) AND r.status <> '{ApprovalStatus.Pending}'
          AND ((r.item_id IS NOT NULL AND {FinishedItems.ItemFinishedAndNotHeld("r.item_id")})
            OR (r.item_id IS NULL AND EXISTS (SELECT 1 FROM campaigns cp LEFT JOIN campaign_runs run ON run.campaign_id = cp.id
                WHERE cp.id = r.campaign_id AND {FinishedItems.CampaignFinished} AND {LegalHolds.NotHeld("cp.id")})))
        """,
        "UPDATE approval_requests SET params_enc = NULL, memo_enc = NULL WHERE id IN @ids AND (params_enc IS NOT NULL OR memo_enc IS NOT NULL)",
        FinishedItems.Args(context.NowUtc, context.RetentionAfterFinish),
        context,
        cancellationToken);
}
