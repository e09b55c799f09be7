using CouponDesk.Data.States;
using CouponDesk.Features.Alerts;
using CouponDesk.Features.Campaigns.Products;
using Dapper;
using MySqlConnector;

namespace CouponDesk.Features.Campaigns;

/// <summary>
/// The one writer of a campaign's status (spec §4.1): every state change, its version bump, the lifecycle columns of the
/// campaign's <c>campaign_runs</c> row that go with it (started, paused from, stopped why, finished), and the ERROR stop's
/// alert. Callers — endpoints and pipeline workers — run these inside their own transaction and keep their reads inline.
/// Each change is checked against <see cref="CampaignStatus.Machine"/>: an illegal one throws
/// <see cref="IllegalTransitionException"/> naming from and to. Changes guarded in SQL (<c>WHERE status IN …</c>) return
/// the rows changed, so a caller that raced another change sees 0 and explains it.
/// </summary>
public sealed class CampaignTransitions(IOperationsAlerts alerts, TimeProvider time, ILogger<CampaignTransitions> logger)
{
    private static StateMachine Machine => CampaignStatus.Machine;

    /// <summary>C1: the status a new campaign is inserted with.</summary>
    public static string NewCampaignStatus { get; } = Checked(StateMachine.New, CampaignStatus.Draft);

    /// <summary>C2: DRAFT → SCHEDULED with the product snapshot, the send and start times and the cost estimate.</summary>
    public static Task<int> ScheduleAsync(MySqlConnection c, MySqlTransaction? tx, long id, int version, DateTime sendAtUtc, DateTime startAtUtc,
        ProductSnapshot product, int recipients, long cost, long? userId, DateTime now, CancellationToken ct) =>
        MoveAsync(c, tx, [id], [CampaignStatus.Draft], CampaignStatus.Scheduled,
            """
            scheduled_at = @sendAtUtc, start_at = @startAtUtc,
              product_name = @Name, exchange_place = @ExchangePlace, supply_price = @SupplyPrice, list_price = @ListPrice,
              validity_type = @ValidityType, validity_value = @ValidityValue, coupon_type = @CouponType,
              product_image_ref = @ImageRef, product_snapshot_at = @now, cost_estimate = @cost,
              submitted_by = @userId, submitted_at = @now, updated_by = @userId,
            """,
            "version = @version AND recipient_count = @recipients",
            new
            {
                version,
                sendAtUtc,
                startAtUtc,
                product.Name,
                product.ExchangePlace,
                product.SupplyPrice,
                product.ListPrice,
                product.ValidityType,
                product.ValidityValue,
                product.CouponType,
                product.ImageRef,
                cost,
                userId,
                recipients,
            }, now, ct);

    /// <summary>C3 (예약 해제): SCHEDULED → DRAFT, only before the start time.</summary>
    public static Task<int> UnscheduleAsync(MySqlConnection c, MySqlTransaction? tx, long id, long? userId, DateTime now, CancellationToken ct) =>
        MoveAsync(c, tx, [id], [CampaignStatus.Scheduled], CampaignStatus.Draft,
            "start_at = NULL, cost_estimate = NULL, submitted_by = NULL, submitted_at = NULL, updated_by = @userId,", "start_at > @now", new { userId }, now, ct);

    /// <summary>C10: SCHEDULED → CANCELLED; nothing was bought yet, so it is immediate.</summary>
    public static Task<int> CancelScheduledAsync(MySqlConnection c, MySqlTransaction? tx, long id, string reason, long? userId, DateTime now, CancellationToken ct) =>
        MoveAsync(c, tx, [id], [CampaignStatus.Scheduled], CampaignStatus.Cancelled,
            "cancelled_by = @userId, cancelled_at = @now, cancel_reason = @reason, updated_by = @userId,", null, new { reason, userId }, now, ct);

    /// <summary>C4: a DRAFT is soft-deleted; its personal data goes with it (the caller removes its lists and banners).</summary>
    public static Task<int> DeleteDraftAsync(MySqlConnection c, MySqlTransaction tx, long id, long? userId, DateTime now, CancellationToken ct)
    {
        Machine.Check(CampaignStatus.Draft, StateMachine.Deleted);
        return c.ExecuteAsync(new CommandDefinition(
            """
            UPDATE campaigns SET deleted_at = @now, recipient_list_id = NULL, recipient_count = 0, banner_id = NULL,
              client_requester_enc = NULL, requester_phone_enc = NULL, requester_phone_bidx = NULL, requester_email_enc = NULL,
              updated_by = @userId, updated_at = @now, version = version + 1
            WHERE id = @id AND deleted_at IS NULL AND status = @draft
            """, new { id, userId, now, draft = CampaignStatus.Draft }, tx, cancellationToken: ct));
    }

    /// <summary>
    /// C5 (C5s after the send time): a SCHEDULED campaign whose items were just created starts — its run row (the gate of
    /// the queue transactions, D-PIPE-24) is inserted and it becomes ISSUING, or SENDING when its send time has passed.
    /// </summary>
    public static async Task<string> StartAsync(MySqlConnection c, MySqlTransaction tx, long id, int items, DateTime sendAt, DateTime now, CancellationToken ct)
    {
        var next = sendAt <= now ? CampaignStatus.Sending : CampaignStatus.Issuing;
        await c.ExecuteAsync(new CommandDefinition(
            "INSERT INTO campaign_runs (campaign_id, item_count, started_at, updated_at) VALUES (@id, @items, @now, @now)",
            new { id, items, now }, tx, cancellationToken: ct));
        await MoveAsync(c, tx, [id], [CampaignStatus.Scheduled], next, null, null, null, now, ct);
        return next;
    }

    /// <summary>C6: ISSUING campaigns whose send time came become SENDING (the caller locked them).</summary>
    public static Task<int> ToSendingAsync(MySqlConnection c, MySqlTransaction tx, IReadOnlyCollection<long> ids, DateTime now, CancellationToken ct) =>
        MoveAsync(c, tx, ids, [CampaignStatus.Issuing], CampaignStatus.Sending, null, null, null, now, ct);

    /// <summary>C7: a running campaign is paused by a person; the run row remembers where it was.</summary>
    public static async Task PauseAsync(MySqlConnection c, MySqlTransaction tx, long id, string from, DateTime now, CancellationToken ct)
    {
        await MoveAsync(c, tx, [id], [from], CampaignStatus.Paused, null, null, null, now, ct);
        await c.ExecuteAsync(new CommandDefinition(
            "UPDATE campaign_runs SET paused_from = @from, updated_at = @now WHERE campaign_id = @id", new { id, from, now }, tx, cancellationToken: ct));
    }

    /// <summary>
    /// C9: a PAUSED or ERROR campaign runs again — ISSUING before its send time, SENDING after; one stopped before it could
    /// start (no items yet: missed schedule, failed pre-flight) goes back to SCHEDULED and starts at once (C9s). Returns the
    /// new status; when it is not SCHEDULED the caller also resets the failure counting of the run.
    /// </summary>
    public static async Task<string> ResumeAsync(MySqlConnection c, MySqlTransaction tx, long id, string from, DateTime now, CancellationToken ct)
    {
        var sendAt = await c.ExecuteScalarAsync<DateTime?>(new CommandDefinition("SELECT scheduled_at FROM campaigns WHERE id = @id", new { id }, tx, cancellationToken: ct));
        var started = await c.ExecuteScalarAsync<int>(new CommandDefinition("SELECT COUNT(*) FROM campaign_runs WHERE campaign_id = @id AND item_count > 0", new { id }, tx, cancellationToken: ct));
        var next = started == 0 ? CampaignStatus.Scheduled : sendAt is { } at && at > now ? CampaignStatus.Issuing : CampaignStatus.Sending;
        Machine.Check(from, next);
        if (started == 0)
        {
            await c.ExecuteAsync(new CommandDefinition("DELETE FROM campaign_runs WHERE campaign_id = @id", new { id }, tx, cancellationToken: ct));
            await MoveAsync(c, tx, [id], [from], next, "start_at = @now, scheduled_at = GREATEST(COALESCE(scheduled_at, @now), @now),", null, null, now, ct);
        }
        else
        {
            await c.ExecuteAsync(new CommandDefinition(
                "UPDATE campaign_runs SET paused_from = NULL, stop_code = NULL, stop_reason = NULL, updated_at = @now WHERE campaign_id = @id", new { id, now }, tx, cancellationToken: ct));
            await MoveAsync(c, tx, [id], [from], next, null, null, null, now, ct);
        }

        return next;
    }

    /// <summary>
    /// C11 / C11s / C12 (일괄취소 or 미발송분 취소 of a running or stopped campaign): → CANCELLING with who and why. Whether the
    /// whole campaign ends CANCELLED or only its unsent part does is decided later by what the agent had taken (C13 / C13b).
    /// </summary>
    public static Task<int> CancelAsync(MySqlConnection c, MySqlTransaction tx, long id, string from, string reason, long? userId, DateTime now, CancellationToken ct) =>
        MoveAsync(c, tx, [id], [from], CampaignStatus.Cancelling,
            "cancel_reason = @reason, cancelled_by = @userId, cancelled_at = @now,", null, new { reason, userId }, now, ct);

    /// <summary>
    /// The final state of a campaign whose items are all final (C13, C13b, C14): a CANCELLING campaign with nothing sent
    /// or failed is CANCELLED; otherwise COMPLETED (no failure), FAILED (nothing delivered) or PARTIALLY_FAILED.
    /// </summary>
    public static string FinalState(string from, int sent, int failed) =>
        from == CampaignStatus.Cancelling && sent + failed == 0 ? CampaignStatus.Cancelled
        : failed == 0 ? CampaignStatus.Completed
        : sent == 0 ? CampaignStatus.Failed
        : CampaignStatus.PartiallyFailed;

    /// <summary>C13 / C13b / C14: the campaign (locked by the caller in <paramref name="from"/>) becomes <see cref="FinalState"/>.</summary>
    public static async Task<string> FinishAsync(MySqlConnection c, MySqlTransaction tx, long id, string from, int sent, int failed, DateTime now, CancellationToken ct)
    {
        var final = FinalState(from, sent, failed);
        await MoveAsync(c, tx, [id], [from], final, null, null, null, now, ct);
        await c.ExecuteAsync(new CommandDefinition("UPDATE campaign_runs SET finished_at = @now, updated_at = @now WHERE campaign_id = @id", new { id, now }, tx, cancellationToken: ct));
        return final;
    }

    /// <summary>C15 (실패 건 재시도): a finished campaign runs again (ISSUING before its send time, else SENDING).</summary>
    public static async Task<string> RetryFailedAsync(MySqlConnection c, MySqlTransaction tx, long id, string from, DateTime? sendAt, DateTime now, CancellationToken ct)
    {
        var next = sendAt is { } at && at > now ? CampaignStatus.Issuing : CampaignStatus.Sending;
        await MoveAsync(c, tx, [id], [from], next, null, null, null, now, ct);
        await c.ExecuteAsync(new CommandDefinition(
            "UPDATE campaign_runs SET finished_at = NULL, stop_code = NULL, stop_reason = NULL, updated_at = @now WHERE campaign_id = @id",
            new { id, now }, tx, cancellationToken: ct));
        return next;
    }

    /// <summary>
    /// C8 (and C5e, C8s): stop the campaign with a reason a person can act on, in the caller's transaction — ERROR, the
    /// reason on its run row, and the <c>campaign.error</c> alert. The campaign row is locked here (callers that hold it
    /// already lose nothing). A campaign that may not go to ERROR — cancelling, finished — keeps its state: the stop is
    /// only logged (D-PIPE-28) and false returned.
    /// </summary>
    public async Task<bool> StopAsync(MySqlConnection c, MySqlTransaction tx, long campaignId, string code, string reason, CancellationToken ct)
    {
        var now = time.GetUtcNow().UtcDateTime;
        var from = await c.ExecuteScalarAsync<string?>(new CommandDefinition(
            "SELECT status FROM campaigns WHERE id = @campaignId FOR UPDATE", new { campaignId }, tx, cancellationToken: ct));
        if (from is null || !Machine.Allows(from, CampaignStatus.Error))
        {
            logger.LogWarning("Campaign {CampaignId} not stopped ({Status} cannot become ERROR): {Code}", campaignId, from, code);
            return false;
        }

        await MoveAsync(c, tx, [campaignId], [from], CampaignStatus.Error, null, null, null, now, ct);
        await c.ExecuteAsync(new CommandDefinition(
            """
            INSERT INTO campaign_runs (campaign_id, item_count, started_at, stop_code, stop_reason, updated_at) VALUES (@campaignId, 0, @now, @code, @reason, @now)
            ON DUPLICATE KEY UPDATE stop_code = @code, stop_reason = @reason, updated_at = @now
            """, new { campaignId, now, code, reason }, tx, cancellationToken: ct));
        logger.LogWarning("Campaign {CampaignId} stopped ({Status}): {Code}", campaignId, CampaignStatus.Error, code);
        // Raised inside the caller's transaction: the alert is queued, not sent, so this never waits on the network; in the
        // rare rollback the alert names a stop that did not happen (spec §5.9, D-PIPE-8).
        await alerts.RaiseAsync(new OperationsAlert("campaign.error", $"캠페인 #{campaignId}이(가) 오류로 중지되었습니다 ({code}): {reason}",
            AlertSeverity.Critical, $"campaign:{campaignId}"), CancellationToken.None);
        return true;
    }

    /// <summary>
    /// The one status UPDATE: checks every from → to pair, then sets the status, the version and <c>updated_at</c> (plus
    /// <paramref name="set"/>, which ends with a comma) on the given rows still in one of <paramref name="from"/>.
    /// </summary>
    private static Task<int> MoveAsync(MySqlConnection c, MySqlTransaction? tx, IReadOnlyCollection<long> ids, string[] from, string to,
        string? set, string? where, object? args, DateTime now, CancellationToken ct)
    {
        Machine.Check(from, to);
        var p = new DynamicParameters(args);
        p.Add("ids", ids);
        p.Add("from", from);
        p.Add("to", to);
        p.Add("now", now);
        return c.ExecuteAsync(new CommandDefinition(
            $"""
            UPDATE campaigns SET status = @to, {set} updated_at = @now, version = version + 1
            WHERE id IN @ids AND status IN @from AND deleted_at IS NULL{(where is null ? "" : " AND " + where)}
            """, p, tx, cancellationToken: ct));
    }

    private static string Checked(string from, string to)
    {
        CampaignStatus.Machine.Check(from, to);
        return to;
    }
}
