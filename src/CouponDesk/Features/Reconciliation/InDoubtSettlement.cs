using System.Globalization;
using System.Text;
using CouponDesk.Data;
using CouponDesk.Features.Audit;
using CouponDesk.Features.Coupons;
using CouponDesk.Features.Pipeline;
using CouponDesk.Integrations.Coufun;
using CouponDesk.Security.Pii;
using Dapper;
using MySqlConnector;

namespace CouponDesk.Features.Reconciliation;

public enum SettleOutcome
{
    Done,
    NotFound,
    AlreadySettled,
    Invalid,
}

/// <summary>What a settlement did; <see cref="Errors"/> per field when <see cref="SettleOutcome.Invalid"/>.</summary>
public sealed record SettleResult(SettleOutcome Outcome, InDoubtOrderItem? Order = null, IReadOnlyDictionary<string, string[]>? Errors = null);

/// <summary>
/// Settles an in-doubt order with the supplier's answer (spec §3.10, §4.4; P23 settle): NOT_ISSUED records it;
/// ISSUED records it and cancels at COUFUN every coupon number the supplier gave. Nothing is ever resent: the
/// recipients were served by a fresh order. The order row is locked and checked inside one transaction (so two ADMINs
/// cannot settle it twice) that also stores the typed-in numbers (encrypted) and the audit row; the COUFUN cancels run
/// after the commit, each one's result stored, and a failed cancel stays retryable.
/// </summary>
public sealed class InDoubtSettlement(
    DbConnectionFactory connections, PiiProtector pii, CouponRepository coupons, CoufunClient coufun, AuditTrail audit, InDoubtOrderQueries queries,
    TimeProvider time, ILogger<InDoubtSettlement> logger)
{
    public const string SettledAction = "in_doubt.settled";
    public const string CancelsAction = "in_doubt.cancels";

    public async Task<SettleResult> SettleAsync(long id, ValidSettlement settlement, AuditActor actor, CancellationToken ct)
    {
        var indexes = settlement.CouponNumbers.Select(coupons.IndexOf).ToList();
        await using var c = await connections.OpenAsync(ct);
        var known = await KnownNumbersAsync(c, indexes, ct);
        if (known.Count > 0)
        {
            return new SettleResult(SettleOutcome.Invalid, Errors: known);
        }

        // The settlement's transaction runs again whole when it loses a conflict; the COUFUN cancels follow its commit.
        if (await DeadlockRetry.RunAsync(() => RecordAsync(c, id, settlement, indexes, actor, ct), "in-doubt settlement") is { } refused)
        {
            return refused;
        }

        if (settlement.CouponNumbers.Count > 0)
        {
            await RunCancelsAsync(id, actor, ct);
        }

        return new SettleResult(SettleOutcome.Done, await queries.GetAsync(id, ct));
    }

    /// <summary>Records the settlement (status, numbers to cancel, audit row); null when committed, else the refusal.</summary>
    private async Task<SettleResult?> RecordAsync(MySqlConnection c, long id, ValidSettlement settlement, List<byte[]> indexes, AuditActor actor, CancellationToken ct)
    {
        await using var tx = await c.BeginTransactionAsync(ct);
        var order = await c.QuerySingleOrDefaultAsync<(string Status, int CreateCount, long CampaignId, string? TrId)?>(new CommandDefinition(
            "SELECT status, create_cnt, campaign_id, tr_id FROM issuance_orders WHERE id = @id FOR UPDATE", new { id }, tx, cancellationToken: ct));
        if (order is not { } o || o.Status is not (OrderStatus.InDoubt or OrderStatus.SettledIssued or OrderStatus.SettledNotIssued))
        {
            return new SettleResult(SettleOutcome.NotFound);
        }

        if (o.Status != OrderStatus.InDoubt)
        {
            return new SettleResult(SettleOutcome.AlreadySettled);
        }

        if (settlement.CouponNumbers.Count > o.CreateCount)
        {
            return new SettleResult(SettleOutcome.Invalid, Errors: new Dictionary<string, string[]>
            {
                ["couponNumbers"] = [$"이 주문의 요청 수량({o.CreateCount}개)보다 많은 쿠폰번호를 입력할 수 없습니다."],
            });
        }

        var now = time.GetUtcNow().UtcDateTime;
        var status = settlement.Outcome == SettleValidator.Issued ? OrderStatus.SettledIssued : OrderStatus.SettledNotIssued;
        await IssuanceOrderTransitions.SettleAsync(c, tx, id, status, actor.UserId, settlement.Memo, now, ct);
        try
        {
            await InsertCancelsAsync(c, tx, id, settlement.CouponNumbers, indexes, now, ct);
        }
        catch (MySqlException ex) when (ex.ErrorCode == MySqlErrorCode.DuplicateKeyEntry)
        {
            // Another settlement stored one of these numbers between our check and our insert.
            await tx.RollbackAsync(ct);
            return new SettleResult(SettleOutcome.Invalid, Errors: new Dictionary<string, string[]> { ["couponNumbers"] = ["다른 주문의 정리에 이미 입력된 쿠폰번호가 있습니다."] });
        }

        await audit.WriteAsync(actor.Entry(SettledAction) with
        {
            TargetType = "issuance_order",
            TargetId = id.ToString(CultureInfo.InvariantCulture),
            Subject = $"campaign:{o.CampaignId}",
            Reason = settlement.Memo,
            Details = new Dictionary<string, string?>
            {
                ["outcome"] = settlement.Outcome,
                ["trId"] = o.TrId,
                ["couponNumbers"] = settlement.CouponNumbers.Count.ToString(CultureInfo.InvariantCulture),
            },
        }, c, tx, ct);
        await tx.CommitAsync(ct);
        return null;
    }

    /// <summary>Cancels (again) the order's numbers still PENDING or FAILED; 18 "already cancelled" counts as done. Audited with counts.</summary>
    public async Task<SettleResult> RetryCancelsAsync(long id, AuditActor actor, CancellationToken ct)
    {
        var item = await queries.GetAsync(id, ct);
        if (item is null)
        {
            return new SettleResult(SettleOutcome.NotFound);
        }

        if (item.Status != OrderStatus.SettledIssued || !item.Cancels.Any(x => x.Status is CancelStatus.Pending or CancelStatus.Failed))
        {
            return new SettleResult(SettleOutcome.AlreadySettled);
        }

        await RunCancelsAsync(id, actor, ct);
        return new SettleResult(SettleOutcome.Done, await queries.GetAsync(id, ct));
    }

    private async Task RunCancelsAsync(long id, AuditActor actor, CancellationToken ct)
    {
        await using var c = await connections.OpenAsync(ct);
        var goodsId = await c.ExecuteScalarAsync<string>(new CommandDefinition("SELECT goods_id FROM issuance_orders WHERE id = @id", new { id }, cancellationToken: ct));
        var todo = (await c.QueryAsync<(long Id, byte[] Enc)>(new CommandDefinition(
            "SELECT id, coupon_number_enc FROM in_doubt_cancels WHERE order_id = @id AND status IN ('PENDING', 'FAILED') AND coupon_number_enc IS NOT NULL ORDER BY id",
            new { id }, cancellationToken: ct))).ToList();
        var counts = new Dictionary<string, int> { [CancelStatus.Done] = 0, [CancelStatus.Failed] = 0, [CancelStatus.Refused] = 0 };
        foreach (var row in todo)
        {
            // Cancel is safe to repeat (spec §8.2); the client retries transport failures itself.
            var result = await coufun.CancelAsync(goodsId!, pii.Decrypt(row.Enc, ReconciliationSetup.InDoubtNumberColumn.PlaceOf(row.Id)), ct);
            var status = result.Outcome switch
            {
                CoufunOutcome.Success => CancelStatus.Done,
                CoufunOutcome.Rejected => CancelStatus.Refused,
                _ => CancelStatus.Failed,
            };
            counts[status]++;
            var message = result.DescribeKo();
            await c.ExecuteAsync(new CommandDefinition(
                "UPDATE in_doubt_cancels SET status = @status, result_code = @code, result_message = @message, attempts = attempts + 1, updated_at = @now WHERE id = @rowId",
                new { status, code = result.ResultCode, message = Fit(message, 200), now = time.GetUtcNow().UtcDateTime, rowId = row.Id }, cancellationToken: ct));
            if (status != CancelStatus.Done)
            {
                logger.LogWarning("In-doubt order {OrderId}: cancel row {CancelId} at COUFUN ended {Status} ({Outcome} {Code})", id, row.Id, status, result.Outcome, result.ResultCode);
            }
        }

        await audit.WriteAsync(actor.Entry(CancelsAction, counts[CancelStatus.Failed] == 0 ? AuditOutcome.Success : AuditOutcome.Failure) with
        {
            TargetType = "issuance_order",
            TargetId = id.ToString(CultureInfo.InvariantCulture),
            Details = counts.ToDictionary(k => k.Key.ToLowerInvariant(), k => (string?)k.Value.ToString(CultureInfo.InvariantCulture)),
        }, ct);
    }

    /// <summary>A number we hold for a recipient must never be cancelled from here; one typed in for another order is a mistake.</summary>
    private static async Task<Dictionary<string, string[]>> KnownNumbersAsync(MySqlConnection c, List<byte[]> indexes, CancellationToken ct)
    {
        var errors = new Dictionary<string, string[]>();
        for (var i = 0; i < indexes.Count; i++)
        {
            var index = indexes[i];
            if (await c.ExecuteScalarAsync<int>(new CommandDefinition("SELECT COUNT(*) FROM coupons WHERE coupon_number_index = @index", new { index }, cancellationToken: ct)) > 0)
            {
                errors[$"couponNumbers[{i}]"] = ["수신자에게 발급된 쿠폰번호입니다. 이 화면에서 취소할 수 없습니다."];
            }
            else if (await c.ExecuteScalarAsync<int>(new CommandDefinition("SELECT COUNT(*) FROM in_doubt_cancels WHERE coupon_number_index = @index", new { index }, cancellationToken: ct)) > 0)
            {
                errors[$"couponNumbers[{i}]"] = ["다른 주문의 정리에 이미 입력된 쿠폰번호입니다."];
            }
        }

        return errors;
    }

    private async Task InsertCancelsAsync(MySqlConnection c, MySqlTransaction tx, long id, IReadOnlyList<string> numbers, List<byte[]> indexes, DateTime now, CancellationToken ct)
    {
        if (numbers.Count == 0)
        {
            return;
        }

        var sql = new StringBuilder("INSERT INTO in_doubt_cancels (order_id, coupon_number_enc, coupon_number_index, coupon_number_last4, status, created_at, updated_at) VALUES ");
        var p = new DynamicParameters(new { id, now, pending = CancelStatus.Pending });
        for (var i = 0; i < numbers.Count; i++)
        {
            sql.Append(i == 0 ? "" : ",").Append(CultureInfo.InvariantCulture, $"(@id, NULL, @x{i}, @l{i}, @pending, @now, @now)");
            p.Add($"x{i}", indexes[i]);
            p.Add($"l{i}", numbers[i].Length <= 4 ? numbers[i] : numbers[i][^4..]);
        }

        await c.ExecuteAsync(new CommandDefinition(sql.ToString(), p, tx, cancellationToken: ct));
        // Bound to each row's id, known only now (D-SEC-12).
        await BoundValueWriter.WriteByIndexAsync(c, tx, pii, ReconciliationSetup.InDoubtNumberColumn, "coupon_number_index",
            [.. numbers.Select((n, i) => (indexes[i], n))], ct);
    }

    private static string Fit(string text, int max) => text.Length <= max ? text : text[..max];
}
