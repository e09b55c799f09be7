using CouponDesk.Data;
using CouponDesk.Features.Privacy;
using CouponDesk.Features.Reconciliation;

namespace CouponDesk.Features.CustomerService;

/// <summary>
/// C/S memo texts (free text that may hold personal data, spec §7.1) destroyed 90 days after their item finished
/// (spec §7.5); the action row itself — who did what, when, states — stays as a business record. Held campaigns keep theirs.
/// </summary>
public sealed class CsMemoPurge(DbConnectionFactory connections) : IPiiPurgeStep
{
    public string Name => "cs_actions.memo";

    public Task PurgeAsync(PiiPurgeContext context, CancellationToken cancellationToken) => PurgeBatches.ByIdAsync(
        connections,
        $"SELECT a.id FROM cs_actions a WHERE a.memo_enc IS NOT NULL AND {FinishedItems.ItemFinishedAndNotHeld("a.item_id")}",
        "UPDATE cs_actions SET memo_enc = NULL WHERE id IN @ids AND memo_enc IS NOT NULL",
        FinishedItems.Args(context.NowUtc, context.RetentionAfterFinish),
        context,
        cancellationToken);
}

/// <summary>
/// The old and new numbers of a 번호변경 (spec §7.5 "phones on change history"): ciphertext and blind index destroyed
/// 90 days after the changed item — and the replacing item, when there is one — finished. Held campaigns keep theirs.
/// </summary>
public sealed class PhoneChangePurge(DbConnectionFactory connections) : IPiiPurgeStep
{
    public string Name => "phone_changes.phones";

    public Task PurgeAsync(PiiPurgeContext context, CancellationToken cancellationToken) => PurgeBatches.ByIdAsync(
        connections,
        $"""
        SELECT pc.id FROM phone_changes pc
        WHERE (pc.old_phone_enc IS NOT NULL OR pc.new_phone_enc IS NOT NULL OR pc.old_phone_bidx IS NOT NULL OR pc.new_phone_bidx IS NOT NULL)
          AND {FinishedItems.ItemFinishedAndNotHeld("pc.item_id")}
          AND (pc.new_item_id IS NULL OR {FinishedItems.ItemFinishedAndNotHeld("pc.new_item_id")})
        """,
        """
        UPDATE phone_changes SET old_phone_enc = NULL, old_phone_bidx = NULL, new_phone_enc = NULL, new_phone_bidx = NULL
        WHERE id IN @ids AND (old_phone_enc IS NOT NULL OR new_phone_enc IS NOT NULL OR old_phone_bidx IS NOT NULL OR new_phone_bidx IS NOT NULL)
        """,
        FinishedItems.Args(context.NowUtc, context.RetentionAfterFinish),
        context,
        cancellationToken);
}
