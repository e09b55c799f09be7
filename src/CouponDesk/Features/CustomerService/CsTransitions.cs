using System.Globalization;
using CouponDesk.Features.Pipeline;
using Dapper;
using MySqlConnector;

namespace CouponDesk.Features.CustomerService;

/// <summary>A status change the owner does not allow; names the states (a bug, never a user error).</summary>
public sealed class IllegalTransitionException(string message) : InvalidOperationException(message);

/// <summary>
/// Owner of the delivery-item transitions C/S makes (spec §4.2), held as data: D9/D10 (재발송: SENT / SEND_FAILED →
/// QUEUED), D12 (쿠폰폐기 before sending: ISSUED / RENDERED / QUEUED with its message withdrawn → CANCELLED), D13
/// (번호변경 after delivery: SENT / SEND_FAILED → REPLACED; the new item — → PENDING, and ISSUED → QUEUED when C/S
/// sends its coupon) and D14 (번호변경 before any
/// message reached the agent: the state stays). Every change bumps the item's version (a stale page gets 409) and is
/// made in the caller's transaction under the item's row lock; a change from a state other than the one read fails.
/// </summary>
public static class CsTransitions
{
    public sealed record Transition(string From, string To, string Step);

    /// <summary>Every item transition C/S may make; <see cref="ApplyAsync"/> refuses the rest.</summary>
    public static readonly IReadOnlyList<Transition> Item =
    [
        new(ItemStatus.SendFailed, ItemStatus.Queued, "D9"),
        new(ItemStatus.Sent, ItemStatus.Queued, "D10"),
        new(ItemStatus.Issued, ItemStatus.Cancelled, "D12"),
        new(ItemStatus.Rendered, ItemStatus.Cancelled, "D12"),
        new(ItemStatus.Queued, ItemStatus.Cancelled, "D12"),
        new(ItemStatus.Sent, ItemStatus.Replaced, "D13"),
        new(ItemStatus.Issued, ItemStatus.Queued, "D13 (D6-D7 of the replacement)"),
        new(ItemStatus.SendFailed, ItemStatus.Replaced, "D13"),
        new(ItemStatus.Pending, ItemStatus.Pending, "D14"),
        new(ItemStatus.Issuing, ItemStatus.Issuing, "D14"),
        new(ItemStatus.Issued, ItemStatus.Issued, "D14"),
        new(ItemStatus.Rendered, ItemStatus.Rendered, "D14"),
        new(ItemStatus.Queued, ItemStatus.Queued, "D14"),
        // A coupon discarded after delivery: the delivery state is history and stays (spec §4.6 shows 폐기 beside it).
        new(ItemStatus.Sent, ItemStatus.Sent, "K5"),
        new(ItemStatus.SendFailed, ItemStatus.SendFailed, "K5"),
    ];

    /// <summary>What else changes with the status.</summary>
    public sealed record ItemChange
    {
        /// <summary>The item's new current message.</summary>
        public long? MessageId { get; init; }

        /// <summary>An operator resend (counts against the limit of 3).</summary>
        public bool CountsAsResend { get; init; }

        /// <summary>The lineage's new 번호변경 count.</summary>
        public int? PhoneChangeCount { get; init; }

        /// <summary>Drop an automatic resend or 실패 건 재시도 still due, and the item's lease (a worker holding it lets go).</summary>
        public bool DropPipelineWork { get; init; }

        /// <summary>The item's last failure no longer describes it (a new message is on its way).</summary>
        public bool ClearFailure { get; init; }
    }

    public static Transition Find(string from, string to) =>
        Item.FirstOrDefault(t => t.From == from && t.To == to)
        ?? throw new IllegalTransitionException(string.Create(CultureInfo.InvariantCulture, $"delivery item: {from} → {to} is not a C/S transition (spec §4.2)"));

    public static async Task ApplyAsync(MySqlConnection c, MySqlTransaction tx, long itemId, string from, string to, ItemChange change, DateTime now, CancellationToken ct)
    {
        Find(from, to);
        var updated = await c.ExecuteAsync(new CommandDefinition(
            """
            UPDATE delivery_items SET status = @to, version = version + 1, updated_at = @now,
              message_id = COALESCE(@messageId, message_id), resend_count = resend_count + @resend,
              phone_change_count = COALESCE(@phoneChanges, phone_change_count),
              resend_kind = IF(@drop, NULL, resend_kind), resend_due_at = IF(@drop, NULL, resend_due_at),
              lease_token = IF(@drop, NULL, lease_token), lease_until = IF(@drop, NULL, lease_until),
              failure_code = IF(@clear, NULL, failure_code), failure_reason = IF(@clear, NULL, failure_reason)
            WHERE id = @itemId AND status = @from
            """,
            new
            {
                itemId, from, to, now, messageId = change.MessageId, resend = change.CountsAsResend ? 1 : 0, phoneChanges = change.PhoneChangeCount,
                drop = change.DropPipelineWork, clear = change.ClearFailure,
            }, tx, cancellationToken: ct));
        if (updated != 1)
        {
            throw new IllegalTransitionException(string.Create(CultureInfo.InvariantCulture, $"delivery item {itemId} is no longer {from}; {from} → {to} not applied"));
        }
    }

    /// <summary>D13: the replacement item, PENDING with the new recipient row, pointing at the item it replaces.</summary>
    public static Task<long> CreateReplacementAsync(MySqlConnection c, MySqlTransaction tx, long campaignId, long listId, int seq, long parentItemId, int phoneChangeCount, DateTime now, CancellationToken ct) =>
        c.ExecuteScalarAsync<long>(new CommandDefinition(
            """
            INSERT INTO delivery_items (campaign_id, list_id, seq, status, parent_item_id, phone_change_count, created_at, updated_at)
            VALUES (@campaignId, @listId, @seq, 'PENDING', @parentItemId, @phoneChangeCount, @now, @now);
            SELECT LAST_INSERT_ID();
            """, new { campaignId, listId, seq, parentItemId, phoneChangeCount, now }, tx, cancellationToken: ct));
}
