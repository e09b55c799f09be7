using System.Globalization;
using CouponDesk.Data.States;
using CouponDesk.Features.Campaigns;
using CouponDesk.Features.Coupons;
using CouponDesk.Features.Messages;
using Dapper;
using MySqlConnector;

namespace CouponDesk.Features.Pipeline;

/// <summary>
/// The one writer of a delivery item's status (spec §4.2): every status change and the resend bookkeeping that decides
/// whether an item is final (<c>resend_kind</c>, <c>resend_due_at</c>). Callers run these inside their own transaction,
/// having claimed or locked the items; each statement also guards on the from states in SQL, so an item another
/// transaction moved meanwhile is left alone. Each change is checked against <see cref="ItemStatus.Machine"/>: an illegal
/// one throws <see cref="IllegalTransitionException"/> naming from and to. Lease columns are written by the claim helper
/// (<see cref="Leases.LeaseClaim"/>) and here where a change ends the claim. Every change moves the item's <c>version</c>,
/// so a C/S page that shows an older state gets 409 instead of acting on what is no longer there.
/// </summary>
public static class DeliveryItemTransitions
{
    private static StateMachine Machine => ItemStatus.Machine;

    /// <summary>spec D1: one PENDING item per accepted recipient of the list, when the campaign starts (C5). Returns how many.</summary>
    public static Task<int> CreateAsync(MySqlConnection c, MySqlTransaction tx, long campaignId, long listId, DateTime now, CancellationToken ct)
    {
        Machine.Check(StateMachine.New, ItemStatus.Pending);
        return c.ExecuteAsync(new CommandDefinition(
            """
            INSERT IGNORE INTO delivery_items (campaign_id, list_id, seq, status, created_at, updated_at)
            SELECT @campaignId, r.list_id, r.seq, @pending, @now, @now FROM recipient_list_rows r WHERE r.list_id = @listId
            """, new { campaignId, listId, now, pending = ItemStatus.Pending }, tx, cancellationToken: ct));
    }

    /// <summary>spec D2: PENDING items go into the issuance order <paramref name="orderId"/>; each counts an attempt.</summary>
    public static Task<int> StartIssuingAsync(MySqlConnection c, MySqlTransaction tx, long orderId, IReadOnlyCollection<long> ids, DateTime now, CancellationToken ct) =>
        MoveAsync(c, tx, ids, [ItemStatus.Pending], ItemStatus.Issuing, "order_id = @orderId, issue_attempts = issue_attempts + 1,", new { orderId }, now, ct);

    /// <summary>spec D3: ISSUING items got their coupons (one statement for the order's items: ids are our own BIGINTs, D-PIPE-22).</summary>
    public static Task<int> IssuedAsync(MySqlConnection c, MySqlTransaction tx, IReadOnlyList<(long Item, long Coupon)> served, DateTime now, CancellationToken ct)
    {
        if (served.Count == 0)
        {
            return Task.FromResult(0);
        }

        var couponOf = string.Concat(served.Select(s => string.Create(CultureInfo.InvariantCulture, $" WHEN {s.Item} THEN {s.Coupon}")));
        return MoveAsync(c, tx, [.. served.Select(s => s.Item)], [ItemStatus.Issuing], ItemStatus.Issued,
            $"coupon_id = CASE id{couponOf} END, failure_code = NULL, failure_reason = NULL,", null, now, ct);
    }

    /// <summary>
    /// D4p / spec D5 / spec D12: an order's ISSUING items after its outcome — back to PENDING for a new order (the order link is
    /// dropped), ISSUE_FAILED, or CANCELLED — with the failure code and reason shown to operators.
    /// </summary>
    public static Task<int> IssueEndedAsync(MySqlConnection c, MySqlTransaction tx, IReadOnlyCollection<long> ids, string to, string? code, string? reason, DateTime now, CancellationToken ct) =>
        MoveAsync(c, tx, ids, [ItemStatus.Issuing], to,
            $"failure_code = @code, failure_reason = @reason, order_id = {(to == ItemStatus.Pending ? "NULL" : "order_id")},", new { code, reason }, now, ct);

    /// <summary>An order that was never called gives its items their attempt back.</summary>
    public static Task<int> UndoIssueAttemptAsync(MySqlConnection c, MySqlTransaction tx, IReadOnlyCollection<long> ids, CancellationToken ct) =>
        ids.Count == 0 ? Task.FromResult(0) : c.ExecuteAsync(new CommandDefinition(
            "UPDATE delivery_items SET issue_attempts = GREATEST(issue_attempts - 1, 0) WHERE id IN @ids", new { ids }, tx, cancellationToken: ct));

    /// <summary>D6q: drawn items are QUEUED with their new message, in the transaction that inserted it; the claim ends.</summary>
    public static async Task QueuedAsync(MySqlConnection c, MySqlTransaction tx, IReadOnlyList<(long Item, long Message)> queued, DateTime now, CancellationToken ct)
    {
        for (var i = 0; i < queued.Count; i += 500)
        {
            var slice = queued.Skip(i).Take(500).ToList();
            var cases = string.Join(' ', slice.Select(q => string.Create(CultureInfo.InvariantCulture, $"WHEN {q.Item} THEN {q.Message}")));
            await MoveAsync(c, tx, [.. slice.Select(q => q.Item)], [ItemStatus.Issued], ItemStatus.Queued,
                $"message_id = CASE id {cases} END, lease_token = NULL, lease_until = NULL,", null, now, ct);
        }
    }

    /// <summary>spec D6: drawing failed; the claim ends so the item is drawn again, and after <paramref name="maxAttempts"/> it is RENDER_FAILED.</summary>
    public static Task<int> RenderFailedAsync(MySqlConnection c, MySqlTransaction tx, IReadOnlyCollection<long> ids, int maxAttempts, DateTime now, CancellationToken ct)
    {
        Machine.Check(ItemStatus.Issued, ItemStatus.RenderFailed);
        // An empty list must not reach MariaDB: Dapper writes it as IN (SELECT @x WHERE 1 = 0), which scans the whole table.
        return ids.Count == 0 ? Task.FromResult(0) : c.ExecuteAsync(new CommandDefinition(
            $"""
            UPDATE delivery_items SET render_attempts = render_attempts + 1, lease_token = NULL, lease_until = NULL,
              status = IF(render_attempts + 1 >= @maxAttempts, '{ItemStatus.RenderFailed}', status), failure_code = 'RENDER', failure_reason = '쿠폰 이미지 생성 실패', version = version + 1, updated_at = @now
            WHERE id IN @ids AND status = '{ItemStatus.Issued}'
            """, new { ids, maxAttempts, now }, tx, cancellationToken: ct));
    }

    /// <summary>spec D8: the items whose <b>current</b> message was delivered are SENT (a result of a superseded message changes nothing).</summary>
    public static Task<int> SentAsync(MySqlConnection c, MySqlTransaction tx, IReadOnlyCollection<long> messageIds, DateTime now, CancellationToken ct)
    {
        Machine.Check(ItemStatus.Queued, ItemStatus.Sent);
        return messageIds.Count == 0 ? Task.FromResult(0) : c.ExecuteAsync(new CommandDefinition(
            $"UPDATE delivery_items SET status = '{ItemStatus.Sent}', ever_delivered = 1, failure_code = NULL, failure_reason = NULL, version = version + 1, updated_at = @now WHERE message_id IN @messageIds AND status = '{ItemStatus.Queued}'",
            new { messageIds, now }, tx, cancellationToken: ct));
    }

    /// <summary>spec D8: the item whose current message failed (or got no result) is SEND_FAILED with the reason.</summary>
    public static Task<int> SendFailedAsync(MySqlConnection c, MySqlTransaction tx, long messageId, string code, string reason, DateTime now, CancellationToken ct)
    {
        Machine.Check(ItemStatus.Queued, ItemStatus.SendFailed);
        return c.ExecuteAsync(new CommandDefinition(
            $"UPDATE delivery_items SET status = '{ItemStatus.SendFailed}', failure_code = @code, failure_reason = @reason, version = version + 1, updated_at = @now WHERE message_id = @messageId AND status = '{ItemStatus.Queued}'",
            new { messageId, code, reason, now }, tx, cancellationToken: ct));
    }

    /// <summary>The limits of an automatic resend (spec §4.5, snap-agent.md §12.2).</summary>
    public sealed record AutoResendRule(int FirstDelaySeconds, int SecondDelaySeconds, int MaxAutomatic);

    /// <summary>
    /// spec D8 + spec D9 (automatic part): the items of failed current messages become SEND_FAILED with an automatic resend due after
    /// the 1st or 2nd delay — only below the limit, while the campaign still sends or can resume, and while the coupon is
    /// unused and valid on <paramref name="todayKst"/>.
    /// </summary>
    public static Task<int> AutoResendDueAsync(MySqlConnection c, MySqlTransaction tx, IReadOnlyCollection<long> messageIds, string? code, string reason,
        AutoResendRule rule, DateTime todayKst, DateTime now, CancellationToken ct)
    {
        string[] from = [ItemStatus.Queued, ItemStatus.SendFailed];
        Machine.Check(from, ItemStatus.SendFailed);
        return messageIds.Count == 0 ? Task.FromResult(0) : c.ExecuteAsync(new CommandDefinition(
            $"""
            UPDATE delivery_items d
            JOIN campaigns cp ON cp.id = d.campaign_id
            JOIN coupons k ON k.id = d.coupon_id
            SET d.status = '{ItemStatus.SendFailed}', d.failure_code = @code, d.failure_reason = @reason, d.resend_kind = @auto,
                d.resend_due_at = DATE_ADD(@now, INTERVAL IF(d.auto_resends = 0, @first, @second) SECOND), d.version = d.version + 1, d.updated_at = @now
            WHERE d.message_id IN @messageIds AND d.status IN @from AND d.auto_resends < @max
              AND cp.status IN @resumable
              AND k.status = @unused AND k.valid_until >= @today
            """,
            new
            {
                messageIds,
                from,
                code,
                reason,
                now,
                today = todayKst,
                auto = MessageType.AutoRetry,
                first = rule.FirstDelaySeconds,
                second = rule.SecondDelaySeconds,
                max = rule.MaxAutomatic,
                resumable = CampaignStatus.Running.Concat(CampaignStatus.Stopped).ToArray(),
                unused = CouponStatus.Unused,
            },
            tx, cancellationToken: ct));
    }

    /// <summary>
    /// D11p / spec D11 (실패 건 재시도): ISSUE_FAILED items without a coupon go back to issuance (attempts reset; never those with
    /// a code in <paramref name="notRetryableIssueCodes"/>), RENDER_FAILED items back to drawing. Returns (issue, render).
    /// </summary>
    public static async Task<(int Issue, int Render)> RetryFailedAsync(MySqlConnection c, MySqlTransaction tx, long campaignId, string[] notRetryableIssueCodes, DateTime now, CancellationToken ct)
    {
        Machine.Check(ItemStatus.IssueFailed, ItemStatus.Pending);
        Machine.Check(ItemStatus.RenderFailed, ItemStatus.Issued);
        var issue = await c.ExecuteAsync(new CommandDefinition(
            $"""
            UPDATE delivery_items SET status = '{ItemStatus.Pending}', issue_attempts = 0, order_id = NULL, failure_code = NULL, failure_reason = NULL,
              lease_token = NULL, lease_until = NULL, version = version + 1, updated_at = @now
            WHERE campaign_id = @campaignId AND status = '{ItemStatus.IssueFailed}' AND coupon_id IS NULL AND COALESCE(failure_code, '') NOT IN @notRetryableIssueCodes
            """, new { campaignId, now, notRetryableIssueCodes }, tx, cancellationToken: ct));
        var render = await c.ExecuteAsync(new CommandDefinition(
            $"""
            UPDATE delivery_items SET status = '{ItemStatus.Issued}', render_attempts = 0, failure_code = NULL, failure_reason = NULL, lease_token = NULL, lease_until = NULL, version = version + 1, updated_at = @now
            WHERE campaign_id = @campaignId AND status = '{ItemStatus.RenderFailed}' AND coupon_id IS NOT NULL
            """, new { campaignId, now }, tx, cancellationToken: ct));
        return (issue, render);
    }

    /// <summary>spec D9 (실패 건 재시도): the SEND_FAILED items get a BULK_RETRY resend, due now (the item is not final while it is due).</summary>
    public static Task<int> BulkResendDueAsync(MySqlConnection c, MySqlTransaction tx, IReadOnlyCollection<long> ids, DateTime now, CancellationToken ct) =>
        ids.Count == 0 ? Task.FromResult(0) : c.ExecuteAsync(new CommandDefinition(
            $"UPDATE delivery_items SET resend_kind = @bulk, resend_due_at = @now, version = version + 1, updated_at = @now WHERE id IN @ids AND status = '{ItemStatus.SendFailed}'",
            new { ids, now, bulk = MessageType.BulkRetry }, tx, cancellationToken: ct));

    /// <summary>spec D9: a SEND_FAILED item is QUEUED again with its resend message; the resend is no longer due and counted by kind.</summary>
    public static Task<int> ResendQueuedAsync(MySqlConnection c, MySqlTransaction tx, long itemId, long messageId, bool automatic, DateTime now, CancellationToken ct)
    {
        var auto = automatic ? 1 : 0;
        return MoveAsync(c, tx, [itemId], [ItemStatus.SendFailed], ItemStatus.Queued,
            """
            message_id = @messageId, auto_resends = auto_resends + @auto, resend_count = resend_count + @bulk,
              resend_kind = NULL, resend_due_at = NULL, lease_token = NULL, lease_until = NULL, failure_code = NULL, failure_reason = NULL,
            """, new { messageId, auto, bulk = 1 - auto }, now, ct);
    }

    /// <summary>
    /// A claimed resend that cannot be made is dropped: the item stays SEND_FAILED (final again) and the claim ends. With
    /// <paramref name="onlyUnusableCoupon"/>, only items whose coupon is no longer unused and valid on <paramref name="todayKst"/>;
    /// with <paramref name="failure"/>, the item's failure is replaced (D-PIPE-26).
    /// </summary>
    public static Task<int> DropResendAsync(MySqlConnection c, MySqlTransaction? tx, IReadOnlyCollection<long> ids, string token, DateTime now, CancellationToken ct,
        bool onlyUnusableCoupon = false, DateTime? todayKst = null, (string Code, string Reason)? failure = null)
    {
        if (ids.Count == 0)
        {
            return Task.FromResult(0);
        }

        // The coupon is joined only when it decides: a join also locks the coupon rows it reads.
        var join = onlyUnusableCoupon ? " JOIN coupons k ON k.id = d.coupon_id" : "";
        var set = failure is null ? "" : " d.failure_code = @code, d.failure_reason = @reason,";
        var where = onlyUnusableCoupon ? " AND (k.status <> @unused OR k.valid_until < @today)" : "";
        return c.ExecuteAsync(new CommandDefinition(
            $"""
            UPDATE delivery_items d{join}
            SET d.resend_kind = NULL, d.resend_due_at = NULL, d.lease_token = NULL, d.lease_until = NULL,{set} d.version = d.version + 1, d.updated_at = @now
            WHERE d.id IN @ids AND d.lease_token = @token AND d.status = '{ItemStatus.SendFailed}'{where}
            """,
            new { ids, token, now, today = todayKst, unused = CouponStatus.Unused, code = failure?.Code, reason = failure?.Reason }, tx, cancellationToken: ct));
    }

    /// <summary>A campaign's unsent part is cancelled (C12): automatic resends still due are dropped.</summary>
    public static Task<int> DropDueResendsAsync(MySqlConnection c, MySqlTransaction tx, long campaignId, DateTime now, CancellationToken ct) =>
        c.ExecuteAsync(new CommandDefinition(
            $"UPDATE delivery_items SET resend_kind = NULL, resend_due_at = NULL, version = version + 1, updated_at = @now WHERE campaign_id = @campaignId AND status = '{ItemStatus.SendFailed}' AND resend_due_at IS NOT NULL",
            new { campaignId, now }, tx, cancellationToken: ct));

    /// <summary>
    /// D7w / spec D12: the QUEUED items of withdrawn messages go back to ISSUED (pause: queued again on resume, the message link
    /// dropped) or are CANCELLED (the link dropped unless <paramref name="keepMessage"/>).
    /// </summary>
    public static Task<int> WithdrawnAsync(MySqlConnection c, MySqlTransaction tx, IReadOnlyCollection<long> messageIds, string to, bool keepMessage, DateTime now, CancellationToken ct)
    {
        Machine.Check(ItemStatus.Queued, to);
        return messageIds.Count == 0 ? Task.FromResult(0) : c.ExecuteAsync(new CommandDefinition(
            $"UPDATE delivery_items SET status = @to,{(keepMessage ? "" : " message_id = NULL,")} version = version + 1, updated_at = @now WHERE message_id IN @messageIds AND status = '{ItemStatus.Queued}'",
            new { to, messageIds, now }, tx, cancellationToken: ct));
    }

    /// <summary>
    /// spec D12 (C11, C12): a campaign's items not handed to the agent and not in an order that may have been called are
    /// CANCELLED — PENDING and ISSUED ones, and ISSUING ones whose order is still PLANNED (the caller fails those orders
    /// next). Claims end. QUEUED items are cancelled by <see cref="WithdrawnAsync"/> once their message is withdrawn.
    /// </summary>
    public static async Task<int> CancelUnsentAsync(MySqlConnection c, MySqlTransaction tx, long campaignId, DateTime now, CancellationToken ct)
    {
        Machine.Check([ItemStatus.Pending, ItemStatus.Issued, ItemStatus.Issuing], ItemStatus.Cancelled);
        var cancelled = await c.ExecuteAsync(new CommandDefinition(
            $"UPDATE delivery_items SET status = '{ItemStatus.Cancelled}', lease_token = NULL, lease_until = NULL, version = version + 1, updated_at = @now WHERE campaign_id = @campaignId AND status IN {Machine.InSql(ItemStatus.Pending, ItemStatus.Issued)}",
            new { campaignId, now }, tx, cancellationToken: ct));
        cancelled += await c.ExecuteAsync(new CommandDefinition(
            $"""
            UPDATE delivery_items SET status = '{ItemStatus.Cancelled}', version = version + 1, updated_at = @now
            WHERE campaign_id = @campaignId AND status = '{ItemStatus.Issuing}'
              AND order_id IN (SELECT o.id FROM issuance_orders o WHERE o.campaign_id = @campaignId AND o.status = '{OrderStatus.Planned}')
            """, new { campaignId, now }, tx, cancellationToken: ct));
        return cancelled;
    }

    /// <summary>spec D12 for CANCELLING campaigns: items released back to PENDING or ISSUED by orders in flight at the cancel are cancelled too.</summary>
    public static Task<int> CancelLeftOfCancellingAsync(MySqlConnection c, DateTime now, CancellationToken ct)
    {
        Machine.Check([ItemStatus.Pending, ItemStatus.Issued], ItemStatus.Cancelled);
        return c.ExecuteAsync(new CommandDefinition(
            $"""
            UPDATE delivery_items d JOIN campaigns cp ON cp.id = d.campaign_id SET d.status = '{ItemStatus.Cancelled}', d.version = d.version + 1, d.updated_at = @now
            WHERE cp.status = '{CampaignStatus.Cancelling}' AND d.status IN {Machine.InSql(ItemStatus.Pending, ItemStatus.Issued)}
            """, new { now }, cancellationToken: ct));
    }

    // C/S (spec §3.4.3): one item at a time, under its row lock (read by the caller in from); each changes exactly that item.

    /// <summary>spec D9/D10 (C/S 재발송): a SENT or SEND_FAILED item is QUEUED again with its CS_RESEND message; it counts against the operator limit.</summary>
    public static Task CsResendQueuedAsync(MySqlConnection c, MySqlTransaction tx, long itemId, string from, long messageId, DateTime now, CancellationToken ct) =>
        OneAsync(MoveAsync(c, tx, [itemId], [from], ItemStatus.Queued,
            "message_id = @messageId, resend_count = resend_count + 1, failure_code = NULL, failure_reason = NULL,", new { messageId }, now, ct), itemId, from);

    /// <summary>spec D12 (C/S 쿠폰폐기): an item not delivered yet (its ready message withdrawn) whose coupon was cancelled is CANCELLED; a renderer's claim ends.</summary>
    public static Task CsCancelledAsync(MySqlConnection c, MySqlTransaction tx, long itemId, string from, DateTime now, CancellationToken ct) =>
        OneAsync(MoveAsync(c, tx, [itemId], [from], ItemStatus.Cancelled, "lease_token = NULL, lease_until = NULL,", null, now, ct), itemId, from);

    /// <summary>쿠폰폐기 after delivery (K5): the item keeps its delivery state (history); a due resend is dropped.</summary>
    public static Task CouponDiscardedAsync(MySqlConnection c, MySqlTransaction tx, long itemId, DateTime now, CancellationToken ct) =>
        c.ExecuteAsync(new CommandDefinition(
            "UPDATE delivery_items SET resend_kind = NULL, resend_due_at = NULL, version = version + 1, updated_at = @now WHERE id = @itemId",
            new { itemId, now }, tx, cancellationToken: ct));

    /// <summary>spec D13: a delivered item whose coupon COUFUN cancelled is REPLACED; the lineage's 번호변경 count moves on; a due resend is dropped.</summary>
    public static Task ReplacedAsync(MySqlConnection c, MySqlTransaction tx, long itemId, string from, int phoneChanges, DateTime now, CancellationToken ct) =>
        OneAsync(MoveAsync(c, tx, [itemId], [from], ItemStatus.Replaced,
            "phone_change_count = @phoneChanges, resend_kind = NULL, resend_due_at = NULL,", new { phoneChanges }, now, ct), itemId, from);

    /// <summary>spec D13 (spec D1 of the new item): the replacement for the new number, PENDING, pointing at the item it replaces.</summary>
    public static Task<long> CreateReplacementAsync(MySqlConnection c, MySqlTransaction tx, long campaignId, long listId, int seq, long parentItemId, int phoneChanges, DateTime now, CancellationToken ct)
    {
        Machine.Check(StateMachine.New, ItemStatus.Pending);
        return c.ExecuteScalarAsync<long>(new CommandDefinition(
            """
            INSERT INTO delivery_items (campaign_id, list_id, seq, status, parent_item_id, phone_change_count, created_at, updated_at)
            VALUES (@campaignId, @listId, @seq, @pending, @parentItemId, @phoneChanges, @now, @now);
            SELECT LAST_INSERT_ID();
            """, new { campaignId, listId, seq, parentItemId, phoneChanges, now, pending = ItemStatus.Pending }, tx, cancellationToken: ct));
    }

    /// <summary>
    /// spec D14: the number changed before any message reached the agent — the state stays; a withdrawn ready message is
    /// replaced by <paramref name="messageId"/>; the lineage's count moves on; a renderer's claim ends (it read the old number).
    /// </summary>
    public static Task NumberChangedAsync(MySqlConnection c, MySqlTransaction tx, long itemId, string from, long? messageId, int phoneChanges, DateTime now, CancellationToken ct) =>
        OneAsync(MoveAsync(c, tx, [itemId], [from], from,
            "message_id = COALESCE(@messageId, message_id), phone_change_count = @phoneChanges, lease_token = NULL, lease_until = NULL,", new { messageId, phoneChanges }, now, ct), itemId, from);

    private static async Task OneAsync(Task<int> change, long itemId, string from)
    {
        if (await change != 1)
        {
            // Under the caller's row lock this cannot happen; refuse rather than act on an item in another state.
            throw new InvalidOperationException(string.Create(CultureInfo.InvariantCulture, $"delivery item {itemId} is no longer {from}; nothing changed"));
        }
    }

    /// <summary>The status UPDATE for id lists: checks every from → to pair, then changes the rows still in a from state.</summary>
    private static Task<int> MoveAsync(MySqlConnection c, MySqlTransaction tx, IReadOnlyCollection<long> ids, string[] from, string to, string? set, object? args, DateTime now, CancellationToken ct)
    {
        Machine.Check(from, to);
        if (ids.Count == 0) // Dapper writes an empty list as IN (SELECT @x WHERE 1 = 0), which MariaDB answers with a full scan
        {
            return Task.FromResult(0);
        }

        var p = new DynamicParameters(args);
        p.Add("ids", ids);
        p.Add("from", from);
        p.Add("to", to);
        p.Add("now", now);
        return c.ExecuteAsync(new CommandDefinition(
            $"UPDATE delivery_items SET status = @to, {set} version = version + 1, updated_at = @now WHERE id IN @ids AND status IN @from", p, tx, cancellationToken: ct));
    }
}
