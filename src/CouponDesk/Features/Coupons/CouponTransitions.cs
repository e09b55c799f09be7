using CouponDesk.Data.States;
using Dapper;
using MySqlConnector;

namespace CouponDesk.Features.Coupons;

/// <summary>
/// The one writer of a coupon's status (spec §4.3), in the caller's transaction, each change with its row in the coupon's
/// status history: issued (K1, with the insert in <see cref="CouponRepository"/>), cancelled by us (K5/K6), what the
/// supplier says (push or status read — applied whatever it says, the supplier's word wins, and flagged when the machine
/// does not list the change), and expiry (K7).
/// </summary>
public static class CouponTransitions
{
    public const string ConflictNote = "공급사 상태가 우리 기록과 다름 (공급사 기준으로 반영)";

    /// <summary>K1: the status a bought coupon is inserted with.</summary>
    public static string IssuedStatus { get; } = Checked(StateMachine.New, CouponStatus.Unused);

    /// <summary>
    /// K5: an ADMIN settled a cancel with the supplier by other means; a coupon we still hold UNUSED becomes CANCELLED
    /// (D-RECON-7). Returns 1 when it changed.
    /// </summary>
    public static async Task<int> CancelledByPersonAsync(MySqlConnection c, MySqlTransaction tx, long id, DateTime now, CancellationToken ct)
    {
        var before = await LockAsync(c, tx, id, ct);
        if (before is not { Status: CouponStatus.Unused })
        {
            return 0;
        }

        var changed = await c.ExecuteAsync(new CommandDefinition(
            "UPDATE coupons SET status = @cancelled, updated_at = @now WHERE id = @id AND status = @unused",
            new { id, now, cancelled = Checked(CouponStatus.Unused, CouponStatus.Cancelled), unused = CouponStatus.Unused }, tx, cancellationToken: ct));
        await CouponStatusHistory.RecordAsync(c, tx,
            new CouponStatusChange(id, CouponStatusSource.System, before.Status, CouponStatus.Cancelled, before.Balance, before.Balance, null, "공급사 취소 정리 (관리자 확인)"), now, ct);
        return changed;
    }

    /// <summary>
    /// K2–K4, K6, K8: the newest exchange push, with its history row (source PUSH); the status read it asks for follows
    /// (<c>status_check_due_at</c>). Returns true when the push contradicted our record (applied and flagged).
    /// </summary>
    public static async Task<bool> ExchangedAsync(MySqlConnection c, MySqlTransaction tx, CouponRecord before, string status, string supplierStatus, int used, int balance,
        DateTime exchangedAt, DateTime now, CancellationToken ct)
    {
        await c.ExecuteAsync(new CommandDefinition(
            """
            UPDATE coupons SET status = @status, supplier_status = @supplierStatus, used_amount = @used, balance = @balance,
              last_exchange_at = @exchangedAt, status_check_due_at = @now, updated_at = @now
            WHERE id = @id
            """,
            new { id = before.Id, status = Known(status), supplierStatus, used, balance, exchangedAt, now }, tx, cancellationToken: ct));
        var contradicts = Contradicts(before.Status, status);
        if (before.Status != status || before.Balance != balance)
        {
            await CouponStatusHistory.RecordAsync(c, tx,
                new CouponStatusChange(before.Id, CouponStatusSource.Push, before.Status, status, before.Balance, balance, supplierStatus, contradicts ? ConflictNote : null, contradicts), now, ct);
        }

        return contradicts;
    }

    /// <summary>
    /// K5/K6 with its history row (spec §4.3): COUFUN confirmed our cancel — C/S 쿠폰폐기 or 번호변경, or the cancel
    /// follow-up — so the coupon is CANCELLED; <paramref name="source"/> says who asked. Caller's transaction, coupon locked.
    /// </summary>
    public static async Task CancelledAsync(MySqlConnection c, MySqlTransaction tx, CouponRecord before, string source, string note, DateTime now, CancellationToken ct)
    {
        CouponStatus.Machine.Check(before.Status, CouponStatus.Cancelled);
        await c.ExecuteAsync(new CommandDefinition(
            "UPDATE coupons SET status = @cancelled, supplier_status = '100', updated_at = @now WHERE id = @id",
            new { id = before.Id, cancelled = CouponStatus.Cancelled, now }, tx, cancellationToken: ct));
        await CouponStatusHistory.RecordAsync(c, tx,
            new CouponStatusChange(before.Id, source, before.Status, CouponStatus.Cancelled, before.Balance, before.Balance, "100", note), now, ct);
    }

    /// <summary>
    /// K2–K8 in the caller's transaction (coupon locked): what the status API said. The supplier's word wins; a change the
    /// machine does not list (e.g. back from CANCELLED) is applied and flagged for a person (spec §4.3). A history row is
    /// written for every change, and also for an unchanged answer (a manual C/S read
    /// is part of the coupon's story; the poll uses <see cref="PolledAsync"/>). Returns true when the answer contradicted our record.
    /// </summary>
    public static Task<bool> ReadFromSupplierAsync(
        MySqlConnection c, MySqlTransaction tx, CouponRecord before, string status, string? supplierStatus, int usedAmount, int balance, string source, DateTime now, CancellationToken ct) =>
        ReadAsync(c, tx, before, status, supplierStatus, usedAmount, balance, source, now, recordUnchanged: true, ct);

    /// <summary>As <see cref="ReadFromSupplierAsync"/> for the status sync and the read after a push (source POLL): no history row when nothing changed.</summary>
    public static Task<bool> PolledAsync(
        MySqlConnection c, MySqlTransaction tx, CouponRecord before, string status, string? supplierStatus, int usedAmount, int balance, DateTime now, CancellationToken ct) =>
        ReadAsync(c, tx, before, status, supplierStatus, usedAmount, balance, CouponStatusSource.Poll, now, recordUnchanged: false, ct);

    private static async Task<bool> ReadAsync(
        MySqlConnection c, MySqlTransaction tx, CouponRecord before, string status, string? supplierStatus, int usedAmount, int balance, string source, DateTime now,
        bool recordUnchanged, CancellationToken ct)
    {
        await c.ExecuteAsync(new CommandDefinition(
            """
            UPDATE coupons SET status = @status, supplier_status = COALESCE(@supplierStatus, supplier_status), used_amount = @usedAmount, balance = @balance,
              status_check_due_at = NULL, status_checked_at = @now, updated_at = @now
            WHERE id = @id
            """, new { id = before.Id, status = Known(status), supplierStatus, usedAmount, balance, now }, tx, cancellationToken: ct));
        var contradicts = Contradicts(before.Status, status);
        if (recordUnchanged || before.Status != status || before.Balance != balance)
        {
            await CouponStatusHistory.RecordAsync(c, tx,
                new CouponStatusChange(before.Id, source, before.Status, status, before.Balance, balance, supplierStatus, contradicts ? ConflictNote : null, contradicts), now, ct);
        }

        return contradicts;
    }

    /// <summary>
    /// A supplier answer that cannot be applied (unknown coupon, malformed value): the coupon keeps its state, the read
    /// counts as done (so one bad coupon does not head every batch), and a flagged row keeps it for an ADMIN.
    /// </summary>
    public static async Task KeptForReviewAsync(MySqlConnection c, MySqlTransaction tx, CouponRecord before, string source, string review, string note, DateTime now, CancellationToken ct)
    {
        await c.ExecuteAsync(new CommandDefinition(
            "UPDATE coupons SET status_check_due_at = NULL, status_checked_at = @now WHERE id = @id", new { id = before.Id, now }, tx, cancellationToken: ct));
        await CouponStatusHistory.RecordAsync(c, tx,
            new CouponStatusChange(before.Id, source, before.Status, before.Status, before.Balance, before.Balance, null, note, Flagged: true) { Review = review }, now, ct);
    }

    /// <summary>K7 (spec §5.6 expiry job): these UNUSED / PARTIALLY_USED coupons are past their validity; history rows with source SYSTEM.</summary>
    public static async Task<int> ExpiredAsync(MySqlConnection c, MySqlTransaction tx, IReadOnlyCollection<long> ids, DateTime now, CancellationToken ct)
    {
        if (ids.Count == 0)
        {
            return 0;
        }

        var from = CouponStatus.Machine.InSql(CouponStatus.Machine.Check([CouponStatus.Unused, CouponStatus.PartiallyUsed], CouponStatus.Expired));
        await c.ExecuteAsync(new CommandDefinition(
            $"""
            INSERT INTO coupon_status_history (coupon_id, source, old_status, new_status, old_balance, new_balance, supplier_status, flagged, note, occurred_at)
            SELECT id, @source, status, @expired, balance, balance, supplier_status, 0, '유효기간 경과', @now FROM coupons WHERE id IN @ids AND status IN {from}
            """, new { ids, now, source = CouponStatusSource.System, expired = CouponStatus.Expired }, tx, cancellationToken: ct));
        return await c.ExecuteAsync(new CommandDefinition(
            $"UPDATE coupons SET status = @expired, updated_at = @now WHERE id IN @ids AND status IN {from}",
            new { ids, now, expired = CouponStatus.Expired }, tx, cancellationToken: ct));
    }

    private static bool Contradicts(string from, string to) => from != to && !CouponStatus.Machine.Allows(from, to);

    private static async Task<CouponRecord?> LockAsync(MySqlConnection c, MySqlTransaction tx, long id, CancellationToken ct) =>
        await CouponRepository.LockRowAsync(c, tx, id, ct);

    private static string Known(string status) =>
        CouponStatus.Machine.States.Contains(status) ? status : throw new ArgumentException($"coupon has no state {status}", nameof(status));

    private static string Checked(string from, string to)
    {
        CouponStatus.Machine.Check(from, to);
        return to;
    }
}
