using CouponDesk.Features.Messages;
using CouponDesk.Features.Pipeline.Cancels;
using CouponDesk.Features.Recipients;
using CouponDesk.Security.Pii;
using Dapper;
using MySqlConnector;

namespace CouponDesk.Features.CustomerService;

/// <summary>
/// Reads <see cref="CsItemState"/>: the SQL columns shared by the result table and the detail panel, and the locked
/// read an action starts with (<c>FOR UPDATE</c> on the item row — spec §3.4.3: the pipeline, the result sync and a
/// second operator wait until the action has committed).
/// </summary>
public static class CsItemStates
{
    /// <summary>The joins every C/S read uses; <c>di</c> is the item.</summary>
    public const string From = """
        FROM delivery_items di
        JOIN campaigns cp ON cp.id = di.campaign_id
        LEFT JOIN recipient_list_rows r ON r.list_id = di.list_id AND r.seq = di.seq
        LEFT JOIN coupons c ON c.id = di.coupon_id
        LEFT JOIN messages m ON m.id = di.message_id
        """;

    /// <summary>The columns of <see cref="CsItemState"/> (Dapper maps them by name).</summary>
    public const string StateColumns = $"""
        di.id AS ItemId, di.campaign_id AS CampaignId, cp.status AS CampaignStatus, di.status AS ItemStatus, di.version AS Version,
        c.id AS CouponId, c.status AS CouponStatus, c.valid_until AS ValidUntil, m.id AS MessageId, m.status AS MessageStatus,
        EXISTS (SELECT 1 FROM messages mt WHERE mt.recipient_id = di.id AND mt.status NOT IN ('{MessageStatus.Ready}', '{MessageStatus.Withdrawn}')) AS AnyMessageTaken,
        di.resend_count AS ResendCount, di.phone_change_count AS PhoneChangeCount, di.resend_due_at IS NOT NULL AS ResendDue,
        EXISTS (SELECT 1 FROM coupon_cancels x WHERE x.coupon_id = di.coupon_id AND x.state IN ('{CouponCancelState.Pending}', '{CouponCancelState.Retry}')) AS CancelPending,
        r.phone_enc IS NULL AS PhonePurged,
        EXISTS (SELECT 1 FROM approval_requests ar WHERE ar.item_id = di.id AND ar.status = 'PENDING') AS ApprovalPending
        """;

    /// <summary>
    /// Locks the item row (and nothing else) and reads its state in the caller's transaction. Must be the transaction's
    /// first statement: the lock is a locking read, and the plain joined read after it takes the transaction's snapshot
    /// only then, so it sees every change committed before the lock was granted (as <c>CampaignRunGate</c> does). The
    /// campaign, coupon and message rows are not locked: the issuance planner claims campaigns with SKIP LOCKED (D-PIPE-20).
    /// </summary>
    public static async Task<CsItemState?> LockAsync(MySqlConnection c, MySqlTransaction tx, long itemId, CancellationToken ct)
    {
        var locked = await c.ExecuteScalarAsync<long?>(new CommandDefinition(
            "SELECT id FROM delivery_items WHERE id = @itemId FOR UPDATE", new { itemId }, tx, cancellationToken: ct));
        if (locked is null)
        {
            return null;
        }

        return await c.QuerySingleOrDefaultAsync<CsItemState>(new CommandDefinition(
            $"SELECT {StateColumns} {From} WHERE di.id = @itemId", new { itemId }, tx, cancellationToken: ct));
    }

    /// <summary>The item's recipient row: where its current number lives (and where 번호변경 before sending writes the new one).</summary>
    public sealed record Recipient(long ListId, int Seq, int SourceRow, byte[]? PhoneEnc, byte[]? NameEnc)
    {
        /// <summary>Where the row's phone is bound (D-SEC-12).</summary>
        public PiiPlace PhonePlace => RecipientsModule.PhoneColumn.PlaceOf(ListId, Seq);

        /// <summary>Where the row's name is bound.</summary>
        public PiiPlace NamePlace => RecipientsModule.NameColumn.PlaceOf(ListId, Seq);
    }

    public static Task<Recipient> RecipientAsync(MySqlConnection c, MySqlTransaction tx, long itemId, CancellationToken ct) =>
        c.QuerySingleAsync<Recipient>(new CommandDefinition(
            """
            SELECT di.list_id AS ListId, di.seq AS Seq, r.source_row AS SourceRow, r.phone_enc AS PhoneEnc, r.name_enc AS NameEnc
            FROM delivery_items di JOIN recipient_list_rows r ON r.list_id = di.list_id AND r.seq = di.seq WHERE di.id = @itemId
            """, new { itemId }, tx, cancellationToken: ct));

    /// <summary>"SENT/UNUSED": the item's and its coupon's states, as CS 처리 이력 and the audit row keep them.</summary>
    public static string Describe(string itemStatus, string? couponStatus) => couponStatus is null ? itemStatus : $"{itemStatus}/{couponStatus}";
}
