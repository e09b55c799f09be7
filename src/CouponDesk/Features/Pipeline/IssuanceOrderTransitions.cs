using CouponDesk.Data.States;
using Dapper;
using MySqlConnector;

namespace CouponDesk.Features.Pipeline;

/// <summary>
/// The one writer of an issuance order's status (spec §4.4) and of its lease: plan, claim for a call, the call's
/// outcome, the fail of orders never called, the settlement of an in-doubt one. Callers run these inside their own
/// transaction; statements guard on the from state (and the caller's lease token where one is held). Each change is
/// checked against <see cref="OrderStatus.Machine"/>: an illegal one throws <see cref="IllegalTransitionException"/>.
/// </summary>
public static class IssuanceOrderTransitions
{
    private static StateMachine Machine => OrderStatus.Machine;

    /// <summary>
    /// O1: the order's intent is stored before any call (PLANNED); its deterministic TR_ID comes from its own id
    /// (coufun-b2c-api.md §8.1) and is written in the same transaction. <paramref name="origin"/> CS marks a C/S 번호변경
    /// replacement (worked whatever its campaign's state). Returns the order id.
    /// </summary>
    public static async Task<long> PlanAsync(MySqlConnection c, MySqlTransaction tx, long campaignId, string goodsId, int count, int unitPrice,
        Func<long, string> trIdOf, DateTime now, CancellationToken ct, string origin = OrderOrigin.Campaign)
    {
        Machine.Check(StateMachine.New, OrderStatus.Planned);
        var orderId = await c.ExecuteScalarAsync<long>(new CommandDefinition(
            """
            INSERT INTO issuance_orders (campaign_id, goods_id, create_cnt, unit_price, status, origin, next_attempt_at, created_at, updated_at)
            VALUES (@campaignId, @goodsId, @count, @unitPrice, @planned, @origin, @now, @now, @now);
            SELECT LAST_INSERT_ID();
            """, new { campaignId, goodsId, count, unitPrice, now, origin, planned = OrderStatus.Planned }, tx, cancellationToken: ct));
        await c.ExecuteAsync(new CommandDefinition("UPDATE issuance_orders SET tr_id = @trId WHERE id = @orderId", new { trId = trIdOf(orderId), orderId }, tx, cancellationToken: ct));
        return orderId;
    }

    /// <summary>O2 / O2r: the order (locked by the caller in <paramref name="from"/>) is claimed for a call under a lease.</summary>
    public static Task<int> RequestedAsync(MySqlConnection c, MySqlTransaction tx, long id, string from, bool answerLost, string token, int createCnt, DateTime leaseUntil, DateTime now, CancellationToken ct)
    {
        Machine.Check(from, OrderStatus.Requested);
        return c.ExecuteAsync(new CommandDefinition(
            """
            UPDATE issuance_orders SET status = @requested, calls = calls + 1, answer_lost = @answerLost, lease_token = @token, create_cnt = @createCnt,
              lease_until = @leaseUntil, requested_at = COALESCE(requested_at, @now), updated_at = @now WHERE id = @id AND status = @from
            """, new { id, from, answerLost, token, createCnt, leaseUntil, now, requested = OrderStatus.Requested }, tx, cancellationToken: ct));
    }

    /// <summary>Renews the lease of a REQUESTED order, only while it is still ours; false when it was taken over.</summary>
    public static async Task<bool> RenewLeaseAsync(MySqlConnection c, long id, string token, DateTime leaseUntil, DateTime now, CancellationToken ct) =>
        await c.ExecuteAsync(new CommandDefinition(
            "UPDATE issuance_orders SET lease_until = @leaseUntil, updated_at = @now WHERE id = @id AND status = @requested AND lease_token = @token",
            new { id, token, leaseUntil, now, requested = OrderStatus.Requested }, cancellationToken: ct)) == 1;

    /// <summary>O3: COUFUN answered 00; the order keeps COUFUN's ORDER_ID and, when it needs a person, why.</summary>
    public static Task<int> SucceededAsync(MySqlConnection c, MySqlTransaction tx, long id, string? coufunOrderId, string? review, DateTime now, CancellationToken ct)
    {
        Machine.Check(OrderStatus.Requested, OrderStatus.Succeeded);
        return c.ExecuteAsync(new CommandDefinition(
            """
            UPDATE issuance_orders SET status = @succeeded, result_code = '00', failure = NULL, coufun_order_id = @coufunOrderId, needs_review = @review,
              lease_token = NULL, lease_until = NULL, finished_at = @now, updated_at = @now WHERE id = @id AND status = @requested
            """, new { id, coufunOrderId, review, now, succeeded = OrderStatus.Succeeded, requested = OrderStatus.Requested }, tx, cancellationToken: ct));
    }

    /// <summary>O3r: the call failed in a way the same TR_ID may repeat (transient, or the answer was lost); due again at <paramref name="next"/>.</summary>
    public static Task<int> RetryWaitAsync(MySqlConnection c, MySqlTransaction tx, long id, bool transient, bool answerLost, string? code, string? failure, DateTime next, DateTime now, CancellationToken ct)
    {
        Machine.Check(OrderStatus.Requested, OrderStatus.RetryWait);
        return c.ExecuteAsync(new CommandDefinition(
            """
            UPDATE issuance_orders SET status = @retryWait, transient_failures = transient_failures + @t, answer_lost = @answerLost, result_code = @code,
              failure = @failure, next_attempt_at = @next, lease_token = NULL, lease_until = NULL, updated_at = @now WHERE id = @id AND status = @requested
            """, new { id, t = transient ? 1 : 0, answerLost, code, failure, next, now, retryWait = OrderStatus.RetryWait, requested = OrderStatus.Requested },
            tx, cancellationToken: ct));
    }

    /// <summary>O3: the call ended FAILED or IN_DOUBT (the in-doubt order waits for its settlement, §3.10).</summary>
    public static Task<int> FinishedAsync(MySqlConnection c, MySqlTransaction tx, long id, string to, string? code, string? failure, DateTime now, CancellationToken ct)
    {
        Machine.Check(OrderStatus.Requested, to);
        return c.ExecuteAsync(new CommandDefinition(
            "UPDATE issuance_orders SET status = @to, result_code = @code, failure = @failure, lease_token = NULL, lease_until = NULL, finished_at = @now, updated_at = @now WHERE id = @id AND status = @requested",
            new { id, to, code, failure, now, requested = OrderStatus.Requested }, tx, cancellationToken: ct));
    }

    /// <summary>O3: claimed but never called, and the campaign stopped meanwhile: FAILED, only while the lease is still ours.</summary>
    public static Task<int> FailUncalledAsync(MySqlConnection c, MySqlTransaction tx, long id, string token, DateTime now, CancellationToken ct)
    {
        Machine.Check(OrderStatus.Requested, OrderStatus.Failed);
        return c.ExecuteAsync(new CommandDefinition(
            "UPDATE issuance_orders SET status = @failed, failure = 'not called: campaign stopped', lease_token = NULL, lease_until = NULL, finished_at = @now, updated_at = @now WHERE id = @id AND lease_token = @token AND status = @requested",
            new { id, token, now, failed = OrderStatus.Failed, requested = OrderStatus.Requested }, tx, cancellationToken: ct));
    }

    /// <summary>O5 (C11, C12): the campaign's orders never called buy nothing and fail (their items were cancelled just before).</summary>
    public static Task<int> FailPlannedAsync(MySqlConnection c, MySqlTransaction tx, long campaignId, DateTime now, CancellationToken ct)
    {
        Machine.Check(OrderStatus.Planned, OrderStatus.Failed);
        return c.ExecuteAsync(new CommandDefinition(
            "UPDATE issuance_orders SET status = @failed, failure = 'cancelled before the call', finished_at = @now, updated_at = @now WHERE campaign_id = @campaignId AND status = @planned",
            new { campaignId, now, failed = OrderStatus.Failed, planned = OrderStatus.Planned }, tx, cancellationToken: ct));
    }

    /// <summary>O4: an ADMIN recorded the supplier's answer for an IN_DOUBT order (§3.10).</summary>
    public static Task<int> SettleAsync(MySqlConnection c, MySqlTransaction tx, long id, string to, long? by, string? memo, DateTime now, CancellationToken ct)
    {
        Machine.Check(OrderStatus.InDoubt, to);
        return c.ExecuteAsync(new CommandDefinition(
            "UPDATE issuance_orders SET status = @to, settled_by = @by, settled_at = @now, settle_memo = @memo, updated_at = @now WHERE id = @id AND status = @inDoubt",
            new { id, to, by, now, memo, inDoubt = OrderStatus.InDoubt }, tx, cancellationToken: ct));
    }
}
