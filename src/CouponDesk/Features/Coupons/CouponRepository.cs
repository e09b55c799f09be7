using System.Globalization;
using System.Text;
using CouponDesk.Data;
using CouponDesk.Security.Pii;
using CouponDesk.Shared.Logging;
using Dapper;
using MySqlConnector;

namespace CouponDesk.Features.Coupons;

/// <summary>
/// The coupon record other features use: insert issued coupons in the caller's transaction, find by number (blind
/// index), reveal numbers, apply an exchange push. Coupon numbers never leave this class in clear except through
/// <see cref="RevealNumberAsync"/> and <see cref="RevealNumbersAsync"/>: callers that draw or show a number ask here,
/// none reads <c>coupon_number_enc</c> itself.
/// </summary>
public sealed class CouponRepository(DbConnectionFactory connections, PiiProtector pii, PiiReader reader, TimeProvider time)
{
    private const int InsertBatch = 500;
    private const string BlindIndexPurpose = "coupon";

    private const string Columns = """
        SELECT id, coupon_number_last4 AS Last4, goods_id AS GoodsId, coupon_type AS CouponType, status, supplier_status AS SupplierStatus,
               face_value AS FaceValue, price, used_amount AS UsedAmount, balance, valid_until AS ValidUntil, stamp_duty AS StampDuty,
               tr_id AS TrId, order_id AS OrderId, order_ref AS OrderRef, last_exchange_at AS LastExchangeAt, issued_at AS IssuedAt, updated_at AS UpdatedAt
        FROM coupons
        """;

    public byte[] IndexOf(string couponNumber) => pii.BlindIndex(BlindIndexPurpose, couponNumber.Trim());

    /// <summary>
    /// Inserts bought coupons inside <paramref name="transaction"/> (multi-row, batches of 500). A number already stored
    /// fails the insert. The number is bound to the row's id (D-SEC-12), known only after the insert: each batch is
    /// inserted without it and <see cref="BoundValueWriter"/> writes the bound numbers — three statements per 500 coupons.
    /// </summary>
    public async Task InsertIssuedAsync(MySqlConnection connection, MySqlTransaction transaction, IReadOnlyList<IssuedCoupon> coupons, CancellationToken cancellationToken = default)
    {
        var now = time.GetUtcNow().UtcDateTime;
        for (var start = 0; start < coupons.Count; start += InsertBatch)
        {
            var batch = coupons.Skip(start).Take(InsertBatch).ToList();
            var sql = new StringBuilder("""
                INSERT INTO coupons (coupon_number_enc, coupon_number_index, coupon_number_last4, key_version, goods_id, coupon_type, status,
                  face_value, price, used_amount, balance, valid_until, stamp_duty, tr_id, order_id, order_ref, issued_at, created_at, updated_at) VALUES
                """);
            var parameters = new DynamicParameters();
            parameters.Add("now", now);
            parameters.Add("kv", pii.ActiveKeyVersion);
            parameters.Add("unused", CouponTransitions.IssuedStatus);
            for (var i = 0; i < batch.Count; i++)
            {
                var c = batch[i];
                var number = c.CouponNumber.Trim();
                sql.Append(i == 0 ? "\n" : ",\n").Append(CultureInfo.InvariantCulture,
                    $"(NULL, @x{i}, @l{i}, @kv, @g{i}, @t{i}, @unused, @f{i}, @p{i}, 0, @f{i}, @v{i}, @s{i}, @tr{i}, @o{i}, @r{i}, @at{i}, @now, @now)");
                parameters.Add($"x{i}", IndexOf(number));
                parameters.Add($"l{i}", number.Length <= 4 ? number : number[^4..]);
                parameters.Add($"g{i}", c.GoodsId);
                parameters.Add($"t{i}", c.CouponType);
                parameters.Add($"f{i}", c.FaceValue);
                parameters.Add($"p{i}", c.Price);
                parameters.Add($"v{i}", c.ValidUntil.ToDateTime(TimeOnly.MinValue));
                parameters.Add($"s{i}", c.StampDuty);
                parameters.Add($"tr{i}", c.TrId);
                parameters.Add($"o{i}", c.OrderId);
                parameters.Add($"r{i}", c.OrderRef);
                parameters.Add($"at{i}", DateTime.SpecifyKind(c.IssuedAtUtc, DateTimeKind.Utc));
            }

            await connection.ExecuteAsync(new CommandDefinition(sql.ToString(), parameters, transaction, cancellationToken: cancellationToken));
            await BoundValueWriter.WriteByIndexAsync(connection, transaction, pii, CouponsSetup.NumberColumn, "coupon_number_index",
                [.. batch.Select(c => (IndexOf(c.CouponNumber), c.CouponNumber.Trim()))], cancellationToken);
        }
    }

    public async Task<CouponRecord?> FindByNumberAsync(string couponNumber, CancellationToken cancellationToken = default)
    {
        await using var c = await connections.OpenAsync(cancellationToken);
        var row = await c.QuerySingleOrDefaultAsync<Row>(Columns + " WHERE coupon_number_index = @index", new { index = IndexOf(couponNumber) });
        return row?.ToRecord();
    }

    public async Task<CouponRecord?> FindByIdAsync(long id, CancellationToken cancellationToken = default)
    {
        await using var c = await connections.OpenAsync(cancellationToken);
        var row = await c.QuerySingleOrDefaultAsync<Row>(Columns + " WHERE id = @id", new { id });
        return row?.ToRecord();
    }

    /// <summary>The clear number, for COUFUN status/cancel calls and audited reveals. Never log it.</summary>
    public async Task<string?> RevealNumberAsync(long id, CancellationToken cancellationToken = default) =>
        (await RevealNumbersAsync([id], cancellationToken)).GetValueOrDefault(id);

    /// <summary>The clear numbers of several coupons (by id; a missing coupon, or one whose number was purged, is absent), for drawing a batch or showing a page. Never log them.</summary>
    public async Task<IReadOnlyDictionary<long, string>> RevealNumbersAsync(IReadOnlyCollection<long> ids, CancellationToken cancellationToken = default)
    {
        if (ids.Count == 0)
        {
            return new Dictionary<long, string>();
        }

        await using var c = await connections.OpenAsync(cancellationToken);
        var rows = await c.QueryAsync<(long Id, byte[] Enc)>(new CommandDefinition(
            "SELECT id, coupon_number_enc FROM coupons WHERE id IN @ids AND coupon_number_enc IS NOT NULL", new { ids = ids.Distinct().ToArray() }, cancellationToken: cancellationToken));
        // A number copied here from another coupon is left out like a purged one, logged with its place (D-SEC-12).
        return rows.Select(r => (r.Id, Number: reader.TryReveal(r.Enc, CouponsSetup.NumberColumn.PlaceOf(r.Id))))
            .Where(r => r.Number is not null)
            .ToDictionary(r => r.Id, r => r.Number!);
    }

    /// <summary>SQL of the two columns <see cref="Masked"/> needs, for a query that joins <c>coupons</c> as <paramref name="alias"/>.</summary>
    public static string MaskColumns(string alias) => $"COALESCE(LENGTH({alias}.coupon_number_enc), 0) AS CouponEncLength, {alias}.coupon_number_last4 AS CouponLast4";

    /// <summary>
    /// The masked number (<c>**** **** 1234</c>, its true length) from the stored last 4 and the ciphertext's length —
    /// coupon numbers are ASCII (COUFUN's BARCODE_NUM), so nothing is decrypted to mask a page of them.
    /// </summary>
    public static string Masked(int encryptedLength, string last4) =>
        encryptedLength == 0 ? ("**** " + last4).TrimEnd() // the full number was purged (spec §7.5): its length is unknown, the last 4 stay
        : SensitiveDataMasker.MaskCouponNumber(new string('*', Math.Max(0, PiiProtector.PlaintextLength(encryptedLength) - last4.Length)) + last4);

    /// <summary>
    /// Records a push once per event key and applies it to the coupon unless a newer event was applied already
    /// (pushes are retried every 10 minutes and can arrive out of order). Asks for a status read either way.
    /// </summary>
    public Task<ExchangeApplyResult> ApplyExchangeAsync(ExchangeEvent e, CancellationToken cancellationToken = default) =>
        DeadlockRetry.RunAsync(() => ApplyExchangeOnceAsync(e, cancellationToken), "coupon exchange");

    private async Task<ExchangeApplyResult> ApplyExchangeOnceAsync(ExchangeEvent e, CancellationToken cancellationToken = default)
    {
        var now = time.GetUtcNow().UtcDateTime;
        await using var c = await connections.OpenAsync(cancellationToken);
        await using var tx = await c.BeginTransactionAsync(cancellationToken);
        var coupon = await c.QuerySingleOrDefaultAsync<Row>(Columns + " WHERE coupon_number_index = @index FOR UPDATE", new { index = IndexOf(e.CouponNumber) }, tx);
        if (coupon is null)
        {
            return new ExchangeApplyResult(ExchangeApplyKind.UnknownCoupon, null, null);
        }

        var existing = await c.ExecuteScalarAsync<long?>(
            "SELECT id FROM coupon_exchanges WHERE coupon_id = @id AND exchange_num = @num AND status = @status AND exchange_date_kst = @date",
            new { id = coupon.Id, num = e.ExchangeNum, status = e.Status, date = e.ExchangeDateKst }, tx);
        if (existing is { } duplicateId)
        {
            return new ExchangeApplyResult(ExchangeApplyKind.Duplicate, duplicateId, coupon.Id);
        }

        var newest = coupon.LastExchangeAt is null || e.ExchangedAtUtc >= coupon.LastExchangeAt;
        var conflict = false;
        var exchangeId = await c.ExecuteScalarAsync<long>(
            """
            INSERT INTO coupon_exchanges (coupon_id, exchange_num, status, exchange_date_kst, exchanged_at, branch_name, branch_code, barcode_type, price, balance, applied, received_at)
            VALUES (@couponId, @num, @status, @date, @at, @branchName, @branchCode, @type, @price, @balance, @applied, @now);
            SELECT LAST_INSERT_ID();
            """,
            new { couponId = coupon.Id, num = e.ExchangeNum, status = e.Status, date = e.ExchangeDateKst, at = e.ExchangedAtUtc, branchName = e.BranchName, branchCode = e.BranchCode, type = e.BarcodeType, price = e.Price, balance = e.Balance, applied = newest, now },
            tx);

        if (newest)
        {
            var (status, used, balance) = ExchangeRules.Apply(coupon.CouponType, coupon.FaceValue, coupon.Balance, e);
            conflict = await CouponTransitions.ExchangedAsync(c, tx, coupon.ToRecord(), status, e.Status, used, balance, e.ExchangedAtUtc, now, cancellationToken);
        }
        else
        {
            await c.ExecuteAsync("UPDATE coupons SET status_check_due_at = @now, updated_at = @now WHERE id = @id", new { id = coupon.Id, now }, tx);
        }

        await tx.CommitAsync(cancellationToken);
        return new ExchangeApplyResult(ExchangeApplyKind.Applied, exchangeId, coupon.Id) { Conflict = conflict };
    }

    /// <summary>The coupon locked in the caller's transaction (<c>FOR UPDATE</c>), for a change that depends on its state.</summary>
    public Task<CouponRecord?> LockAsync(MySqlConnection c, MySqlTransaction tx, long id, CancellationToken cancellationToken = default) =>
        LockRowAsync(c, tx, id, cancellationToken);

    /// <summary>As <see cref="LockAsync"/>, for the state-machine owner.</summary>
    public static async Task<CouponRecord?> LockRowAsync(MySqlConnection c, MySqlTransaction tx, long id, CancellationToken cancellationToken = default)
    {
        var row = await c.QuerySingleOrDefaultAsync<Row>(new CommandDefinition(Columns + " WHERE id = @id FOR UPDATE", new { id }, tx, cancellationToken: cancellationToken));
        return row?.ToRecord();
    }

    /// <summary>Several coupons by id (a missing one is absent), in no particular order.</summary>
    public async Task<IReadOnlyList<CouponRecord>> FindByIdsAsync(IReadOnlyCollection<long> ids, CancellationToken cancellationToken = default)
    {
        if (ids.Count == 0)
        {
            return [];
        }

        await using var c = await connections.OpenAsync(cancellationToken);
        return [.. (await c.QueryAsync<Row>(new CommandDefinition(Columns + " WHERE id IN @ids", new { ids = ids.ToArray() }, cancellationToken: cancellationToken))).Select(r => r.ToRecord())];
    }

    /// <summary>Coupons whose status read is due (after a push), oldest first.</summary>
    public async Task<IReadOnlyList<CouponRecord>> DueForStatusCheckAsync(int limit, CancellationToken cancellationToken = default)
    {
        await using var c = await connections.OpenAsync(cancellationToken);
        return [.. (await c.QueryAsync<Row>(Columns + " WHERE status_check_due_at IS NOT NULL AND status_check_due_at <= @now ORDER BY status_check_due_at LIMIT @limit",
            new { now = time.GetUtcNow().UtcDateTime, limit })).Select(r => r.ToRecord())];
    }

    /// <summary>Postpones a failed status read.</summary>
    public async Task PostponeStatusCheckAsync(long id, TimeSpan delay, CancellationToken cancellationToken = default)
    {
        await using var c = await connections.OpenAsync(cancellationToken);
        await c.ExecuteAsync("UPDATE coupons SET status_check_due_at = @due WHERE id = @id", new { id, due = time.GetUtcNow().UtcDateTime + delay });
    }

    private sealed record Row(long Id, string Last4, string GoodsId, string CouponType, string Status, string? SupplierStatus, int FaceValue, int Price, int UsedAmount, int Balance,
        DateTime ValidUntil, string? StampDuty, string? TrId, string? OrderId, long? OrderRef, DateTime? LastExchangeAt, DateTime IssuedAt, DateTime UpdatedAt)
    {
        public CouponRecord ToRecord() => new(Id, SensitiveDataMasker.MaskCouponNumber(new string('0', 8) + Last4), GoodsId, CouponType, Status, SupplierStatus, FaceValue, Price,
            UsedAmount, Balance, DateOnly.FromDateTime(ValidUntil), StampDuty, TrId, OrderId, OrderRef, LastExchangeAt, IssuedAt, UpdatedAt);
    }
}
