using System.Security.Cryptography;
using CouponDesk.CoufunStandIn.Catalog;
using CouponDesk.CoufunStandIn.Ledger;
using Dapper;

namespace CouponDesk.CoufunStandIn.Push;

/// <summary>What happened to a coupon at a store (or at the supplier), as the control API asks for it.</summary>
public enum CouponEventKind
{
    Use,
    CancelUse,
    SupplierCancel,
    Expire,
}

/// <summary>
/// Applies store-side events to the ledger and queues the exchange push for each, in one transaction, so a push is
/// never lost and never sent for an event that did not happen. Returns a Korean-free English refusal or null.
/// </summary>
public sealed class CouponEvents(StandInDb db, StandInLedger ledger, StandInCatalog catalog)
{
    public sealed record Result(string? Refusal, LedgerCoupon? Coupon, long? PushId);

    public Task<Result> ApplyAsync(string barcodeNum, CouponEventKind kind, int? amount, string? branchName, string? branchCode, CancellationToken ct) =>
        ApplyAsync(barcodeNum, kind, amount, branchName, branchCode, silent: false, ct);

    /// <param name="silent">The push is lost: recorded as never sent (the usage simulator's "no push" coupons).</param>
    public async Task<Result> ApplyAsync(string barcodeNum, CouponEventKind kind, int? amount, string? branchName, string? branchCode, bool silent, CancellationToken ct)
    {
        await using var c = await db.OpenAsync(ct);
        await using var tx = await c.BeginTransactionAsync(ct);
        var coupon = await c.QuerySingleOrDefaultAsync<LedgerCoupon>(StandInLedger.CouponColumns + " WHERE barcode_num = @barcodeNum FOR UPDATE", new { barcodeNum }, tx);
        if (coupon is null)
        {
            return new Result("unknown coupon", null, null);
        }

        var now14 = ledger.NowKst14;
        var isAmount = coupon.CouponType == "AMOUNT";
        LedgerCoupon updated;
        string pushStatus;
        int price;
        switch (kind)
        {
            case CouponEventKind.Use:
                if (coupon.Status != "000" || (isAmount && coupon.RemainAmount == 0))
                {
                    return new Result("coupon is not usable", coupon, null);
                }

                if (isAmount)
                {
                    price = amount ?? coupon.RemainAmount;
                    if (price <= 0 || price > coupon.RemainAmount)
                    {
                        return new Result("amount must be between 1 and the remaining balance", coupon, null);
                    }

                    var remain = coupon.RemainAmount - price;
                    updated = coupon with { RemainAmount = remain, Status = remain == 0 ? "001" : "000", ExchangeDate = now14 };
                }
                else
                {
                    price = coupon.Price;
                    updated = coupon with { Status = "001", ExchangeDate = now14 };
                }

                pushStatus = "001";
                break;
            case CouponEventKind.CancelUse:
                if (isAmount ? coupon.RemainAmount == coupon.TotalAmount || coupon.Status == "100" : coupon.Status != "001")
                {
                    return new Result("no use to cancel", coupon, null);
                }

                price = isAmount ? Math.Min(amount ?? (coupon.TotalAmount - coupon.RemainAmount), coupon.TotalAmount - coupon.RemainAmount) : coupon.Price;
                updated = coupon with { Status = "000", RemainAmount = isAmount ? coupon.RemainAmount + price : coupon.RemainAmount, ExchangeDate = now14 };
                pushStatus = "000";
                break;
            case CouponEventKind.SupplierCancel:
                if (coupon.Status == "100")
                {
                    return new Result("already cancelled", coupon, null);
                }

                price = 0;
                updated = coupon with { Status = "100", CancelDate = now14 };
                pushStatus = "100";
                break;
            default:
                updated = coupon with { ValidEndDate = ledger.TodayKst.AddDays(-1).ToString("yyyyMMdd", System.Globalization.CultureInfo.InvariantCulture) };
                await ledger.UpdateCouponAsync(updated, c, tx);
                await tx.CommitAsync(ct);
                return new Result(null, updated, null);
        }

        await ledger.UpdateCouponAsync(updated, c, tx);
        var branch = catalog.Find(coupon.GoodsId)?.Branch ?? "";
        var pushId = await c.ExecuteScalarAsync<long>(
            """
            INSERT INTO push_events (barcode_num, exchange_num, status, exchange_date, branch_name, branch_code, barcode_type, price, balance, next_attempt_at, created_at, gave_up, last_reply)
            VALUES (@barcode, @exchangeNum, @status, @date, @branchName, @branchCode, @type, @price, @balance, @now, @now, @silent, @reply);
            SELECT LAST_INSERT_ID();
            """,
            new
            {
                barcode = coupon.BarcodeNum,
                exchangeNum = "A" + RandomNumberGenerator.GetInt32(100_000_000, 999_999_999) + RandomNumberGenerator.GetInt32(1_000_000, 9_999_999),
                status = pushStatus,
                date = now14,
                branchName = branchName ?? $"{branch} 테스트점",
                branchCode = branchCode ?? "B00017",
                type = coupon.CouponType,
                price,
                balance = isAmount ? updated.RemainAmount : 0,
                now = ledger.Now,
                silent,
                reply = silent ? "not sent: lost push (usage simulator)" : null,
            },
            tx);
        await tx.CommitAsync(ct);
        return new Result(null, updated, pushId);
    }

    /// <summary>Queues another delivery of an earlier event (a duplicate, or out of order when newer ones exist).</summary>
    public async Task<long?> RedeliverAsync(long pushId, CancellationToken ct)
    {
        await using var c = await db.OpenAsync(ct);
        return await c.ExecuteScalarAsync<long?>(
            """
            INSERT INTO push_events (barcode_num, exchange_num, status, exchange_date, branch_name, branch_code, barcode_type, price, balance, next_attempt_at, created_at)
            SELECT barcode_num, exchange_num, status, exchange_date, branch_name, branch_code, barcode_type, price, balance, @now, @now FROM push_events WHERE id = @pushId;
            SELECT IF(ROW_COUNT() = 1, LAST_INSERT_ID(), NULL);
            """,
            new { pushId, now = ledger.Now });
    }

    public async Task<IReadOnlyList<PushEvent>> DueAsync(DateTime now, CancellationToken ct)
    {
        await using var c = await db.OpenAsync(ct);
        return [.. await c.QueryAsync<PushEvent>(PushColumns + " WHERE delivered_at IS NULL AND gave_up = 0 AND next_attempt_at <= @now ORDER BY id LIMIT 50", new { now })];
    }

    public async Task<IReadOnlyList<PushEvent>> PushesAsync(string? barcodeNum, CancellationToken ct)
    {
        await using var c = await db.OpenAsync(ct);
        return [.. await c.QueryAsync<PushEvent>(PushColumns + " WHERE @barcodeNum IS NULL OR barcode_num = @barcodeNum ORDER BY id", new { barcodeNum })];
    }

    private const string PushColumns = """
        SELECT id, barcode_num AS BarcodeNum, exchange_num AS ExchangeNum, status, exchange_date AS ExchangeDate,
               branch_name AS BranchName, branch_code AS BranchCode, barcode_type AS BarcodeType, price, balance, attempts,
               next_attempt_at AS NextAttemptAt, delivered_at AS DeliveredAt, gave_up AS GaveUp, last_reply AS LastReply
        FROM push_events
        """;
}
