using CouponDesk.Data;
using CouponDesk.Features.Alerts;
using CouponDesk.Features.Campaigns;
using CouponDesk.Features.Coupons;
using CouponDesk.Features.Pipeline.Failures;
using CouponDesk.Features.Pipeline.OrderSize;
using CouponDesk.Hosting.Liveness;
using CouponDesk.Integrations.Coufun;
using CouponDesk.Shared.Text;
using Dapper;
using MySqlConnector;

namespace CouponDesk.Features.Pipeline;

/// <summary>
/// Runs issuance orders exactly once (spec §4.4, §5.2, coufun-b2c-api.md §8.1). An order is claimed with a lease
/// (PLANNED / RETRY_WAIT due / REQUESTED whose lease expired — its worker died mid-call), marked REQUESTED and committed,
/// then called with its own TR_ID. The outcome is applied in one transaction that first checks the lease is still ours:
/// success stores the coupons and moves the items to ISSUED; a lost answer earns one more call with the same TR_ID;
/// 12/23 after that (or on a first call) makes the order IN_DOUBT and sends its items back to PENDING, to be served by
/// a new order with a fresh TR_ID; transient codes retry with backoff; codes that need a person stop the campaign.
/// A C/S order (<see cref="OrderOrigin.CustomerService"/>, a 번호변경 replacement coupon — spec D13) is worked whatever its
/// campaign's state (unless it is being cancelled), keeps retrying transient failures for
/// <see cref="PipelineOptions.CsOrderRetryHours"/> ("자동으로 재시도합니다"), and never stops or counts against its campaign.
/// </summary>
public sealed class OrderExecutor(
    DbConnectionFactory connections,
    CoufunClient coufun,
    CouponRepository coupons,
    CampaignTransitions transitions,
    PipelineOptions options,
    IssuanceFailureRules failureRules,
    OrderSizeRule orderSize,
    IOperationsAlerts alerts,
    ProcessIdentity identity,
    TimeProvider time,
    ILogger<OrderExecutor> logger)
{
    public sealed record ClaimedOrder(long Id, long CampaignId, string TrId, string GoodsId, int CreateCnt, int UnitPrice, int Calls, int TransientFailures, bool AnswerLost, string Token, DateTime ClaimedAt)
    {
        public string Origin { get; init; } = OrderOrigin.Campaign;

        public DateTime CreatedAt { get; init; }

        public bool ForCustomerService => Origin == OrderOrigin.CustomerService;
    }

    /// <summary>Claims up to <paramref name="max"/> orders (only <paramref name="orderId"/> when given); returns them for <see cref="ExecuteAsync"/>.</summary>
    public async Task<IReadOnlyList<ClaimedOrder>> ClaimAsync(int max, CancellationToken ct, long? orderId = null)
    {
        var now = time.GetUtcNow().UtcDateTime;
        var size = await orderSize.CouponsPerCallAsync(ct);
        await using var c = await connections.OpenAsync(ct);
        await using var tx = await c.BeginTransactionAsync(ct);
        // Campaigns first, without locks (MariaDB has no FOR UPDATE OF: a join would lock the campaign rows too).
        // Running campaigns get every kind of work; stopped ones (PAUSED, ERROR) only what must be resolved now (a
        // lost answer, a call whose worker died); cancelling ones also finish their transient retries.
        var campaigns = (await c.QueryAsync<(long Id, string Status)>(new CommandDefinition(
            $"SELECT id, status FROM campaigns WHERE status IN ('{CampaignStatus.Issuing}', '{CampaignStatus.Sending}', '{CampaignStatus.Paused}', '{CampaignStatus.Error}', '{CampaignStatus.Cancelling}')", transaction: tx, cancellationToken: ct))).ToList();
        var running = campaigns.Where(x => x.Status is CampaignStatus.Issuing or CampaignStatus.Sending).Select(x => x.Id).Append(0).ToArray();
        var retrying = campaigns.Where(x => x.Status is not (CampaignStatus.Paused or CampaignStatus.Error)).Select(x => x.Id).Append(0).ToArray();
        var any = campaigns.Select(x => x.Id).Append(0).ToArray();
        // C/S orders run whatever their campaign's state (a finished campaign's replacement coupon, spec D13).
        const string Claimable = $"""
            (o.campaign_id IN @any OR o.origin = '{OrderOrigin.CustomerService}') AND (@orderId IS NULL OR o.id = @orderId)
              AND ((o.status = '{OrderStatus.Planned}' AND o.next_attempt_at <= @now AND (o.campaign_id IN @running OR o.origin = '{OrderOrigin.CustomerService}'))
                OR (o.status = '{OrderStatus.RetryWait}' AND o.next_attempt_at <= @now AND (o.answer_lost = 1 OR o.campaign_id IN @retrying OR o.origin = '{OrderOrigin.CustomerService}'))
                OR (o.status = '{OrderStatus.Requested}' AND o.lease_until < @now))
            """;
        // Candidates from a plain read, then locked by primary key: a locking scan locks every order it walks past and,
        // under REPEATABLE READ, keeps those locks to the commit, so other loops' outcome transactions waited on orders
        // this claim never wanted (D-PIPE-22). The locking read re-checks the condition on the latest version.
        var candidates = (await c.QueryAsync<long>(new CommandDefinition(
            $"SELECT o.id FROM issuance_orders o WHERE {Claimable} ORDER BY o.id LIMIT @scan",
            new { now, any, running, retrying, orderId, scan = max + options.IssueConcurrency * 2 }, tx, cancellationToken: ct))).ToList();
        if (candidates.Count == 0)
        {
            return [];
        }

        var rows = (await c.QueryAsync<(long Id, long CampaignId, string TrId, string GoodsId, int CreateCnt, int UnitPrice, int Calls, int TransientFailures, bool AnswerLost, string Status, string Origin, DateTime CreatedAt)>(new CommandDefinition(
            $"""
            SELECT o.id, o.campaign_id, o.tr_id, o.goods_id, o.create_cnt, o.unit_price, o.calls, o.transient_failures, o.answer_lost, o.status, o.origin, o.created_at
            FROM issuance_orders o
            WHERE o.id IN @candidates AND {Claimable}
            ORDER BY o.id LIMIT @max FOR UPDATE SKIP LOCKED
            """, new { candidates, now, max, any, running, retrying, orderId }, tx, cancellationToken: ct))).ToList();
        var claimed = new List<ClaimedOrder>();
        foreach (var r in rows)
        {
            // A REQUESTED order whose lease ran out: its worker died during the call, so the answer is lost.
            var lost = r.AnswerLost || r.Status == OrderStatus.Requested;
            var token = identity.NewLeaseToken();
            // Never called yet (its TR_ID never left) and answers are being lost: cut it to the cautious size (D-PIPE-30).
            var count = r.Status == OrderStatus.Planned && r.CreateCnt > size ? await ShrinkUncalledAsync(c, tx, r.Id, size, now, ct) : r.CreateCnt;
            await IssuanceOrderTransitions.RequestedAsync(c, tx, r.Id, r.Status, lost, token, count, now.AddSeconds(options.LeaseSeconds), now, ct);
            claimed.Add(new ClaimedOrder(r.Id, r.CampaignId, r.TrId, r.GoodsId, count, r.UnitPrice, r.Calls + 1, r.TransientFailures, lost, token, now) { Origin = r.Origin, CreatedAt = r.CreatedAt });
        }

        await tx.CommitAsync(ct);
        return claimed;
    }

    /// <summary>
    /// Keeps the first <paramref name="size"/> items of a PLANNED order (never called, so its TR_ID and count were never
    /// sent) and gives the others back to PENDING, one order attempt refunded; the planner orders them at the current size.
    /// </summary>
    private async Task<int> ShrinkUncalledAsync(MySqlConnection c, MySqlTransaction tx, long orderId, int size, DateTime now, CancellationToken ct)
    {
        var items = (await c.QueryAsync<long>(new CommandDefinition(
            "SELECT item_id FROM issuance_order_items WHERE order_id = @orderId ORDER BY item_id", new { orderId }, tx, cancellationToken: ct))).ToList();
        var rest = items.Skip(size).ToArray();
        if (rest.Length == 0)
        {
            return items.Count;
        }

        await c.ExecuteAsync(new CommandDefinition("DELETE FROM issuance_order_items WHERE order_id = @orderId AND item_id IN @rest", new { orderId, rest }, tx, cancellationToken: ct));
        await DeliveryItemTransitions.IssueEndedAsync(c, tx, rest, ItemStatus.Pending, null, null, now, ct);
        await DeliveryItemTransitions.UndoIssueAttemptAsync(c, tx, rest, ct);
        orderSize.NoteSplit();
        return items.Count - rest.Length;
    }

    public async Task ExecuteAsync(ClaimedOrder order, CancellationToken ct)
    {
        var campaignStatus = await CampaignStatusAsync(order.CampaignId, ct);
        var stopped = order.ForCustomerService
            ? campaignStatus is CampaignStatus.Cancelling or CampaignStatus.Cancelled
            : campaignStatus is not (CampaignStatus.Issuing or CampaignStatus.Sending);
        if (order is { AnswerLost: false, Calls: 1 } && stopped)
        {
            // Never called yet and the campaign was paused or cancelled meanwhile: give the items back, buy nothing.
            await ReleaseUncalledAsync(order, campaignStatus, ct);
            return;
        }

        if (!await HoldLeaseAsync(order, ct))
        {
            logger.LogWarning("Order {OrderId} was claimed {Seconds:F0} s ago and its lease is gone; not calling (its new owner calls with the same TR_ID)", order.Id, (time.GetUtcNow().UtcDateTime - order.ClaimedAt).TotalSeconds);
            return;
        }

        // Calls carry no cancellation token of the host: a create in flight finishes (the client reports our own
        // shutdown as in doubt anyway); the lease covers a kill.
        var result = await coufun.CreateAsync(order.GoodsId, order.CreateCnt, order.TrId, CancellationToken.None);
        await ApplyAsync(order, result, ct);
    }

    /// <summary>
    /// A starved worker can reach the call long after its claim. Past half the lease, the lease is renewed first (only
    /// while still ours), so another worker never takes the order over while this call is in flight (D-PIPE-23).
    /// </summary>
    private async Task<bool> HoldLeaseAsync(ClaimedOrder order, CancellationToken ct)
    {
        var now = time.GetUtcNow().UtcDateTime;
        if (now - order.ClaimedAt < TimeSpan.FromSeconds(options.LeaseSeconds / 2.0))
        {
            return true;
        }

        await using var c = await connections.OpenAsync(ct);
        return await IssuanceOrderTransitions.RenewLeaseAsync(c, order.Id, order.Token, now.AddSeconds(options.LeaseSeconds), now, ct);
    }

    private async Task<Outcome?> StoreOutcomeAsync(ClaimedOrder order, CoufunResult<CoufunCreatedOrder> result)
    {
        var now = time.GetUtcNow().UtcDateTime;
        await using var c = await connections.OpenAsync(CancellationToken.None);
        await using var tx = await c.BeginTransactionAsync(CancellationToken.None);
        var mine = await c.ExecuteScalarAsync<int>(new CommandDefinition(
            $"SELECT COUNT(*) FROM issuance_orders WHERE id = @id AND status = '{OrderStatus.Requested}' AND lease_token = @token FOR UPDATE",
            new { id = order.Id, token = order.Token }, tx));
        if (mine == 0)
        {
            logger.LogWarning("Order {OrderId} lease lost before its answer was stored; another worker repeats the TR_ID", order.Id);
            return null;
        }

        var items = (await c.QueryAsync<long>(new CommandDefinition(
            "SELECT item_id FROM issuance_order_items WHERE order_id = @id ORDER BY item_id", new { id = order.Id }, tx))).ToList();
        var code = result.ResultCode;
        var failure = Truncation.Truncate(result.Failure ?? (code is null ? null : $"{code} {result.ResultMessage}"), 300);
        var issueFailed = 0; // items of this order that became ISSUE_FAILED: one alert per order, after the commit
        var inDoubt = false;
        var callFailed = result.Outcome != CoufunOutcome.Success; // for the failure rules, counted after the commit
        // The answer of this call was lost (in doubt, or no answer at all): the adaptive order size turns cautious (D-PIPE-30).
        var lost = result.Outcome == CoufunOutcome.InDoubt || (result.ResultCode is null && result.Outcome != CoufunOutcome.Success);
        switch (result.Outcome)
        {
            case CoufunOutcome.Success:
                issueFailed = await StoreSuccessAsync(c, tx, order, items, result.Value!, now);
                break;
            case CoufunOutcome.InDoubt when !order.AnswerLost:
                await RetryAsync(c, tx, order, now, transient: false, code, failure, answerLost: true, lost);
                break;
            case CoufunOutcome.InDoubt:
            case CoufunOutcome.Duplicate:
                // The same-TR_ID call after a lost answer that COUFUN answers 12/23 is no new failure: the lost call
                // already counted (or died with a killed worker). Counting it again doubled every timeout (D-PIPE-7).
                callFailed = !(order.AnswerLost && result.Outcome == CoufunOutcome.Duplicate);
                issueFailed = await InDoubtAsync(c, tx, order, items, now, code, failure, callFailed, lost);
                inDoubt = true;
                break;
            case CoufunOutcome.Transient when order.TransientFailures + 1 < options.IssueAttempts
                || (order.ForCustomerService && now - DateTime.SpecifyKind(order.CreatedAt, DateTimeKind.Utc) < TimeSpan.FromHours(options.CsOrderRetryHours)):
                await RetryAsync(c, tx, order, now, transient: true, code, failure, answerLost: order.AnswerLost, lost);
                break;
            case CoufunOutcome.Transient:
            case CoufunOutcome.Rejected:
                await IssuanceOrderTransitions.FinishedAsync(c, tx, order.Id, OrderStatus.Failed, code, failure, now, CancellationToken.None);
                await DeliveryItemTransitions.IssueEndedAsync(c, tx, items, ItemStatus.IssueFailed, code ?? "TRANSIENT", Truncation.Truncate($"쿠폰 발급 실패: {failure}", 200), now, CancellationToken.None);
                await IssuanceFailureRules.RecordAsync(c, tx, order.CampaignId, order.Id, failed: true, now, lost);
                issueFailed = items.Count;
                break;
            case CoufunOutcome.NeedsPerson or CoufunOutcome.Unknown when order.ForCustomerService:
                // A C/S replacement never stops its campaign: the item fails with the reason and the alert below.
                await IssuanceOrderTransitions.FinishedAsync(c, tx, order.Id, OrderStatus.Failed, code, failure, now, CancellationToken.None);
                await DeliveryItemTransitions.IssueEndedAsync(c, tx, items, ItemStatus.IssueFailed, code ?? "UNKNOWN",
                    Truncation.Truncate($"번호변경 쿠폰 발급 실패 (COUFUN {code}: {result.ResultMessage ?? (code is null ? "응답 없음" : CoufunResultCodes.DescribeKo(CoufunApi.Create, code))})", 200), now, CancellationToken.None);
                callFailed = false;
                issueFailed = items.Count;
                break;
            default:
                // NeedsPerson / Unknown: nothing bought; stop the campaign, keep the items for after a person's fix.
                await IssuanceOrderTransitions.FinishedAsync(c, tx, order.Id, OrderStatus.Failed, code, failure, now, CancellationToken.None);
                await DeliveryItemTransitions.IssueEndedAsync(c, tx, items, ItemStatus.Pending, code, null, now, CancellationToken.None);
                callFailed = false; // not counted: the campaign stops for a person right here
                await transitions.StopAsync(c, tx, order.CampaignId, code ?? "UNKNOWN",
                    Truncation.Truncate($"COUFUN 오류 {code}: {result.ResultMessage ?? (code is null ? "응답 없음" : CoufunResultCodes.DescribeKo(CoufunApi.Create, code))} — 확인 후 재개해 주세요.", 300)!, CancellationToken.None);
                break;
        }

        await tx.CommitAsync(CancellationToken.None);
        Web.Metrics.CouponDeskMetrics.OrderFinished(result.Outcome == CoufunOutcome.Success ? items.Count - issueFailed : 0, issueFailed);

        if (lost)
        {
            orderSize.NoteLostAnswer();
        }

        return new Outcome(inDoubt, issueFailed, callFailed, failure);
    }

    /// <summary>What the outcome transaction decided, for the alerts and checks that follow its commit.</summary>
    private sealed record Outcome(bool InDoubt, int IssueFailed, bool CallFailed, string? Failure);

    private async Task ApplyAsync(ClaimedOrder order, CoufunResult<CoufunCreatedOrder> result, CancellationToken ct)
    {
        // The answer is stored by one transaction, run again whole when it loses a deadlock or a cluster certification
        // conflict: losing it would leave the order REQUESTED and turn the coupons just bought into an in-doubt order.
        var outcome = await DeadlockRetry.RunAsync(() => StoreOutcomeAsync(order, result), logger, "issuance outcome");
        if (outcome is null)
        {
            return;
        }

        var (inDoubt, issueFailed, callFailed, failure) = outcome;
        if (inDoubt)
        {
            await alerts.RaiseAsync(new OperationsAlert("issuance.in_doubt",
                $"발급 확인 필요: 캠페인 #{order.CampaignId}의 주문 TR_ID {order.TrId} ({order.CreateCnt}매)의 응답이 유실되었습니다. 해당 수신자는 새 주문으로 발급하며, 이 주문은 공급사와 정산이 필요합니다.",
                AlertSeverity.Warning, $"order:{order.Id}"), CancellationToken.None);
        }

        if (issueFailed > 0)
        {
            await alerts.RaiseAsync(new OperationsAlert("issuance.failed",
                $"캠페인 #{order.CampaignId}: 쿠폰 {issueFailed}건이 재시도 후에도 발급되지 않았습니다 (발급실패). 사유: {failure ?? "발급 수량 부족"}",
                AlertSeverity.Warning, $"order:{order.Id}"), CancellationToken.None);
        }

        if (callFailed && !order.ForCustomerService)
        {
            await failureRules.CheckAsync(order.CampaignId, failure, CancellationToken.None);
        }
    }

    /// <summary>Returns the items left ISSUE_FAILED because COUFUN returned fewer coupons than asked.</summary>
    private async Task<int> StoreSuccessAsync(MySqlConnection c, MySqlTransaction tx, ClaimedOrder order, List<long> items, CoufunCreatedOrder bought, DateTime now)
    {
        var campaign = await c.QuerySingleAsync<(string CouponType, int ListPrice, int SupplyPrice)>(new CommandDefinition(
            "SELECT COALESCE(coupon_type, 'BARCODE'), COALESCE(list_price, 0), COALESCE(supply_price, 0) FROM campaigns WHERE id = @id", new { id = order.CampaignId }, tx));
        var validUntil = bought.ValidEndDate ?? DateOnly.FromDateTime(now.AddDays(30));
        var issued = bought.Coupons.Take(items.Count).Select(k => new IssuedCoupon(
            k.BarcodeNum, order.GoodsId, campaign.CouponType == CouponType.Amount ? CouponType.Amount : CouponType.Barcode, campaign.ListPrice, campaign.SupplyPrice,
            validUntil, k.StampDuty, order.TrId, bought.OrderId, order.Id, now)).ToList();
        await coupons.InsertIssuedAsync(c, tx, issued);
        var ids = (await c.QueryAsync<long>(new CommandDefinition("SELECT id FROM coupons WHERE order_ref = @id ORDER BY id", new { id = order.Id }, tx))).ToList();
        // One statement for the order's items (ids are our own BIGINTs, written invariantly): a statement per item was
        // the largest share of the database's time per coupon in the benchmark (D-PIPE-22).
        await DeliveryItemTransitions.IssuedAsync(c, tx, [.. items.Zip(ids)], now, CancellationToken.None);
        await DeliveryItemTransitions.IssueEndedAsync(c, tx, [.. items.Skip(ids.Count)], ItemStatus.IssueFailed, "SHORT", "발급 수량 부족: 공급사 확인 필요 (자동 재구매하지 않음)", now, CancellationToken.None);

        var review = bought.ReviewReason ?? (ids.Count < items.Count ? $"returned {ids.Count} of {items.Count}" : null);
        await IssuanceOrderTransitions.SucceededAsync(c, tx, order.Id, bought.OrderId, Truncation.Truncate(review, 200), now, CancellationToken.None);
        await IssuanceFailureRules.RecordAsync(c, tx, order.CampaignId, order.Id, failed: false, now);
        return Math.Max(0, items.Count - ids.Count);
    }

    /// <summary>The order keeps its TR_ID as IN_DOUBT for the reconciliation report; its items go back to PENDING (a new order, a fresh TR_ID).</summary>
    private async Task<int> InDoubtAsync(MySqlConnection c, MySqlTransaction tx, ClaimedOrder order, List<long> items, DateTime now, string? code, string? failure, bool countFailure, bool lost)
    {
        await IssuanceOrderTransitions.FinishedAsync(c, tx, order.Id, OrderStatus.InDoubt, code, failure ?? "응답 유실 후 재요청에서 TR_ID 사용됨", now, CancellationToken.None);
        var exhausted = (await c.QueryAsync<long>(new CommandDefinition(
            "SELECT id FROM delivery_items WHERE id IN @items AND issue_attempts >= @max", new { items, max = options.IssueAttempts }, tx))).ToList();
        await DeliveryItemTransitions.IssueEndedAsync(c, tx, [.. items.Except(exhausted)], ItemStatus.Pending, OrderStatus.InDoubt, null, now, CancellationToken.None);
        await DeliveryItemTransitions.IssueEndedAsync(c, tx, exhausted, ItemStatus.IssueFailed, OrderStatus.InDoubt, "발급 확인 필요 주문이 반복되어 발급을 중단했습니다.", now, CancellationToken.None);
        if (countFailure)
        {
            await IssuanceFailureRules.RecordAsync(c, tx, order.CampaignId, order.Id, failed: true, now, lost);
        }

        logger.LogWarning("Order {OrderId} TR_ID {TrId} is in doubt; {Items} items will be served by a new order", order.Id, order.TrId, items.Count);
        return exhausted.Count;
    }

    private async Task RetryAsync(MySqlConnection c, MySqlTransaction tx, ClaimedOrder order, DateTime now, bool transient, string? code, string? failure, bool answerLost, bool lost)
    {
        var backoff = order.ForCustomerService && order.TransientFailures + 1 >= options.IssueAttempts ? options.CsOrderRetrySeconds * 1000
            : options.IssueBackoffMs.Length == 0 ? 2000 : options.IssueBackoffMs[Math.Min(order.TransientFailures, options.IssueBackoffMs.Length - 1)];
        var jitter = Random.Shared.Next(0, Math.Max(1, backoff / 5));
        await IssuanceOrderTransitions.RetryWaitAsync(c, tx, order.Id, transient, answerLost, code, failure, now.AddMilliseconds(backoff + jitter), now, CancellationToken.None);
        await IssuanceFailureRules.RecordAsync(c, tx, order.CampaignId, order.Id, failed: true, now, lost);
    }

    /// <summary>Never called and the campaign stopped meanwhile: the order fails without a call; its items wait as PENDING (or are cancelled).</summary>
    private async Task ReleaseUncalledAsync(ClaimedOrder order, string? campaignStatus, CancellationToken ct)
    {
        var now = time.GetUtcNow().UtcDateTime;
        await using var c = await connections.OpenAsync(ct);
        await using var tx = await c.BeginTransactionAsync(ct);
        var updated = await IssuanceOrderTransitions.FailUncalledAsync(c, tx, order.Id, order.Token, now, ct);
        if (updated == 1)
        {
            var items = (await c.QueryAsync<long>(new CommandDefinition("SELECT item_id FROM issuance_order_items WHERE order_id = @id", new { id = order.Id }, tx, cancellationToken: ct))).ToList();
            var cancelled = campaignStatus is CampaignStatus.Cancelling or CampaignStatus.Cancelled;
            await DeliveryItemTransitions.IssueEndedAsync(c, tx, items, cancelled ? ItemStatus.Cancelled : ItemStatus.Pending, null, null, now, ct);
            await DeliveryItemTransitions.UndoIssueAttemptAsync(c, tx, items, ct);
            await tx.CommitAsync(ct);
        }
    }

    private async Task<string?> CampaignStatusAsync(long campaignId, CancellationToken ct)
    {
        await using var c = await connections.OpenAsync(ct);
        return await c.ExecuteScalarAsync<string?>(new CommandDefinition("SELECT status FROM campaigns WHERE id = @campaignId", new { campaignId }, cancellationToken: ct));
    }
}
