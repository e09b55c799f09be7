using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using CouponDesk.CoufunStandIn.Catalog;
using CouponDesk.Shared.Time;
using Dapper;
using MySqlConnector;

namespace CouponDesk.CoufunStandIn.Ledger;

/// <summary>The persistent ledger: TR_IDs, orders, coupons and the product-list counter. Survives restarts.</summary>
public sealed class StandInLedger(StandInDb db, StandInOptions options, TimeProvider time)
{
    public const string StampDuty = "인지세 해당 없음";

    /// <summary>Counts a create call carrying <paramref name="trId"/>, whatever its answer (the per-TR_ID witness).</summary>
    public async Task CountCreateCallAsync(string trId, CancellationToken ct)
    {
        await using var c = await db.OpenAsync(ct);
        await c.ExecuteAsync(
            "INSERT INTO tr_calls (poc_id, tr_id, calls, first_seen_at) VALUES (@poc, @trId, 1, @now) ON DUPLICATE KEY UPDATE calls = calls + 1",
            new { poc = options.PocId, trId, now = Now });
    }

    public async Task SetLastCodeAsync(string trId, string code, bool consume, CancellationToken ct)
    {
        await using var c = await db.OpenAsync(ct);
        await c.ExecuteAsync(
            "UPDATE tr_calls SET last_code = @code, consumed = consumed OR @consume WHERE poc_id = @poc AND tr_id = @trId",
            new { poc = options.PocId, trId, code, consume });
    }

    public async Task<bool> IsTrIdUsedAsync(string trId, CancellationToken ct)
    {
        await using var c = await db.OpenAsync(ct);
        return await c.ExecuteScalarAsync<bool>("SELECT COALESCE(MAX(consumed), 0) FROM tr_calls WHERE poc_id = @poc AND tr_id = @trId", new { poc = options.PocId, trId });
    }

    /// <summary>
    /// Coupons this POC holds, for the ceiling check on every create. Counted in the database once per process, then
    /// kept in memory: a COUNT(*) per call grew with the ledger and cost the 20,000-coupon benchmark more database time
    /// than everything CouponDesk itself did (D-PIPE-22). Another stand-in process sharing the POC is not seen — the
    /// ceiling is a test knob, not a ledger.
    /// </summary>
    public async Task<long> IssuedCountAsync(CancellationToken ct)
    {
        Task<long> beforeStart;
        lock (countGate)
        {
            if (issuedBeforeStart is null || issuedBeforeStart.IsFaulted)
            {
                issuedBeforeStart = CountIssuedInDatabaseAsync();
            }

            beforeStart = issuedBeforeStart;
        }

        return await beforeStart.WaitAsync(ct) + Interlocked.Read(ref issuedSinceStart);
    }

    private async Task<long> CountIssuedInDatabaseAsync()
    {
        await using var c = await db.OpenAsync(CancellationToken.None);
        return await c.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM coupons WHERE poc_id = @poc", new { poc = options.PocId });
    }

    private readonly Lock countGate = new();
    private Task<long>? issuedBeforeStart;
    private long issuedSinceStart;

    /// <summary>
    /// Issues the coupons in one transaction and consumes the TR_ID. Returns null when the TR_ID was consumed
    /// concurrently (the caller answers 12).
    /// </summary>
    public async Task<LedgerOrder?> CreateOrderAsync(StandInProduct product, int count, string? trId, string reserve1, string reserve2, CancellationToken ct)
    {
        await IssuedCountAsync(ct); // counted before this order, so the order is added once below
        var now = Now;
        var todayKst = DateOnly.FromDateTime(Kst.ToKst(now));
        var validEnd = product.ValidUntil(todayKst).ToString("yyyyMMdd", CultureInfo.InvariantCulture);
        await using var c = await db.OpenAsync(ct);
        await using var tx = await c.BeginTransactionAsync(ct);
        if (trId is not null)
        {
            var consumed = await c.ExecuteScalarAsync<bool>(
                "SELECT consumed FROM tr_calls WHERE poc_id = @poc AND tr_id = @trId FOR UPDATE", new { poc = options.PocId, trId }, tx);
            if (consumed)
            {
                return null;
            }

            await c.ExecuteAsync("UPDATE tr_calls SET consumed = 1, last_code = '00' WHERE poc_id = @poc AND tr_id = @trId", new { poc = options.PocId, trId }, tx);
        }

        var rowId = await c.ExecuteScalarAsync<long>(
            """
            INSERT INTO orders (poc_id, tr_id, goods_id, cat_id, order_cnt, valid_end_date, reserve1, reserve2, created_at)
            VALUES (@poc, @trId, @goodsId, @catId, @count, @validEnd, @reserve1, @reserve2, @now);
            SELECT LAST_INSERT_ID();
            """,
            new { poc = options.PocId, trId, goodsId = product.GoodsId, catId = product.CatId, count, validEnd, reserve1, reserve2, now }, tx);
        var orderId = $"T{Kst.ToKst(now):yyMMdd}{rowId:D9}";
        await c.ExecuteAsync("UPDATE orders SET order_id = @orderId WHERE id = @rowId", new { orderId, rowId }, tx);

        var coupons = new List<LedgerCoupon>(count);
        var orderDate = todayKst.ToString("yyyyMMdd", CultureInfo.InvariantCulture);
        var amount = product.CouponType == "AMOUNT" ? product.OriPrice : 0;
        for (var i = 0; i < count; i++)
        {
            var coupon = new LedgerCoupon(NewBarcode(), rowId, options.PocId, product.GoodsId, product.CouponType, "000", amount, amount, product.Price, orderDate, validEnd, null, null, StampDuty);
            coupons.Add(coupon);
        }

        var sql = new StringBuilder("INSERT INTO coupons (barcode_num, order_row_id, poc_id, goods_id, coupon_type, status, total_amount, remain_amount, price, order_date, valid_end_date, stamp_duty, created_at) VALUES ");
        var parameters = new DynamicParameters();
        for (var i = 0; i < coupons.Count; i++)
        {
            var k = coupons[i];
            sql.Append(i == 0 ? "" : ",").Append(CultureInfo.InvariantCulture, $"(@b{i}, @row, @poc, @goods, @type, '000', @amount, @amount, @price, @orderDate, @validEnd, @stamp, @now)");
            parameters.Add($"b{i}", k.BarcodeNum);
        }

        parameters.AddDynamicParams(new { row = rowId, poc = options.PocId, goods = product.GoodsId, type = product.CouponType, amount, price = product.Price, orderDate, validEnd, stamp = StampDuty, now });
        await c.ExecuteAsync(sql.ToString(), parameters, tx);
        await tx.CommitAsync(ct);
        Interlocked.Add(ref issuedSinceStart, count);
        return new LedgerOrder(rowId, orderId, trId, product.GoodsId, product.CatId, count, validEnd, reserve1, reserve2, false, now) { Coupons = coupons };
    }

    public async Task MarkResponseDroppedAsync(LedgerOrder order, CancellationToken ct)
    {
        await using var c = await db.OpenAsync(ct);
        await c.ExecuteAsync("UPDATE orders SET response_dropped = 1 WHERE id = @id", new { id = order.Id });
        if (order.TrId is not null)
        {
            await c.ExecuteAsync("UPDATE tr_calls SET responses_dropped = responses_dropped + 1 WHERE poc_id = @poc AND tr_id = @trId", new { poc = options.PocId, trId = order.TrId });
        }
    }

    /// <summary>Counts a product-list call for today (KST) and returns today's count including it.</summary>
    public async Task<int> CountProductListCallAsync(CancellationToken ct)
    {
        var day = Kst.Now(time).ToString("yyyyMMdd", CultureInfo.InvariantCulture);
        await using var c = await db.OpenAsync(ct);
        await c.ExecuteAsync(
            "INSERT INTO product_list_calls (poc_id, day_kst, calls) VALUES (@poc, @day, 1) ON DUPLICATE KEY UPDATE calls = calls + 1",
            new { poc = options.PocId, day });
        return await c.ExecuteScalarAsync<int>("SELECT calls FROM product_list_calls WHERE poc_id = @poc AND day_kst = @day", new { poc = options.PocId, day });
    }

    public async Task ResetProductListCallsAsync(CancellationToken ct)
    {
        await using var c = await db.OpenAsync(ct);
        await c.ExecuteAsync("DELETE FROM product_list_calls WHERE poc_id = @poc", new { poc = options.PocId });
    }

    public async Task<LedgerCoupon?> FindCouponAsync(string barcodeNum, CancellationToken ct)
    {
        await using var c = await db.OpenAsync(ct);
        return await c.QuerySingleOrDefaultAsync<LedgerCoupon>(CouponColumns + " WHERE barcode_num = @barcodeNum", new { barcodeNum });
    }

    public async Task UpdateCouponAsync(LedgerCoupon coupon, MySqlConnection c, MySqlTransaction? tx = null) =>
        await c.ExecuteAsync(
            """
            UPDATE coupons SET status = @Status, remain_amount = @RemainAmount, valid_end_date = @ValidEndDate,
              exchange_date = @ExchangeDate, cancel_date = @CancelDate
            WHERE barcode_num = @BarcodeNum
            """,
            coupon, tx);

    public async Task<TrIdCounters> CountersAsync(string trId, CancellationToken ct)
    {
        await using var c = await db.OpenAsync(ct);
        var call = await c.QuerySingleOrDefaultAsync<(int Calls, bool Consumed, string? LastCode, int Dropped)>(
            "SELECT calls, consumed, last_code, responses_dropped FROM tr_calls WHERE poc_id = @poc AND tr_id = @trId", new { poc = options.PocId, trId });
        var (orders, coupons) = await c.QuerySingleAsync<(int, int)>(
            "SELECT COUNT(DISTINCT o.id), COUNT(k.barcode_num) FROM orders o LEFT JOIN coupons k ON k.order_row_id = o.id WHERE o.poc_id = @poc AND o.tr_id = @trId",
            new { poc = options.PocId, trId });
        return new TrIdCounters(trId, call.Calls, call.Consumed, call.LastCode, orders, coupons, call.Dropped);
    }

    public async Task<IReadOnlyList<LedgerOrder>> OrdersAsync(string? trId, bool droppedOnly, int limit, CancellationToken ct)
    {
        await using var c = await db.OpenAsync(ct);
        var orders = (await c.QueryAsync<LedgerOrder>(
            """
            SELECT id, order_id AS OrderId, tr_id AS TrId, goods_id AS GoodsId, cat_id AS CatId, order_cnt AS OrderCnt,
                   valid_end_date AS ValidEndDate, reserve1, reserve2, response_dropped AS ResponseDropped, created_at AS CreatedAt
            FROM orders WHERE poc_id = @poc AND (@trId IS NULL OR tr_id = @trId) AND (@droppedOnly = 0 OR response_dropped = 1)
            ORDER BY id LIMIT @limit
            """,
            new { poc = options.PocId, trId, droppedOnly, limit })).ToList();
        if (orders.Count == 0)
        {
            return orders;
        }

        var coupons = (await c.QueryAsync<LedgerCoupon>(CouponColumns + " WHERE order_row_id IN @ids", new { ids = orders.Select(o => o.Id) }))
            .ToLookup(k => k.OrderRowId);
        return [.. orders.Select(o => o with { Coupons = [.. coupons[o.Id]] })];
    }

    public async Task<(int CreateCalls, int Orders, int Coupons, int DroppedResponses)> TotalsAsync(CancellationToken ct)
    {
        await using var c = await db.OpenAsync(ct);
        return await c.QuerySingleAsync<(int, int, int, int)>(
            """
            SELECT (SELECT COALESCE(SUM(calls), 0) FROM tr_calls WHERE poc_id = @poc),
                   (SELECT COUNT(*) FROM orders WHERE poc_id = @poc),
                   (SELECT COUNT(*) FROM coupons WHERE poc_id = @poc),
                   (SELECT COUNT(*) FROM orders WHERE poc_id = @poc AND response_dropped = 1)
            """,
            new { poc = options.PocId });
    }

    public const string CouponColumns = """
        SELECT barcode_num AS BarcodeNum, order_row_id AS OrderRowId, poc_id AS PocId, goods_id AS GoodsId, coupon_type AS CouponType,
               status, total_amount AS TotalAmount, remain_amount AS RemainAmount, price, order_date AS OrderDate,
               valid_end_date AS ValidEndDate, exchange_date AS ExchangeDate, cancel_date AS CancelDate, stamp_duty AS StampDuty
        FROM coupons
        """;

    public DateTime Now => time.GetUtcNow().UtcDateTime;

    public string NowKst14 => Kst.Now(time).ToString("yyyyMMddHHmmss", CultureInfo.InvariantCulture);

    public DateOnly TodayKst => DateOnly.FromDateTime(Kst.Now(time));

    /// <summary>A random number of <see cref="StandInOptions.BarcodeDigits"/> digits starting with 9 (collisions are refused by the primary key).</summary>
    private string NewBarcode()
    {
        Span<char> digits = stackalloc char[options.BarcodeDigits];
        digits[0] = '9';
        for (var i = 1; i < digits.Length; i++)
        {
            digits[i] = (char)('0' + RandomNumberGenerator.GetInt32(10));
        }

        return new string(digits);
    }
}
