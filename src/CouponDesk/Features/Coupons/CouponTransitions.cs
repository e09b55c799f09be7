using CouponDesk.Data.States;
using Dapper;
using MySqlConnector;

namespace CouponDesk.Features.Coupons;

/// <summary>
/// The one writer of a coupon's status (spec §4.3), in the caller's transaction: issued (K1, with the insert in
/// <see cref="CouponRepository"/>), cancelled by us (K5/K6), and what the supplier says (push or status read — applied
/// whatever it says, the supplier's word wins).
/// </summary>
public static class CouponTransitions
{
    /// <summary>K1: the status a bought coupon is inserted with.</summary>
    public static string IssuedStatus { get; } = Checked(StateMachine.New, CouponStatus.Unused);

    /// <summary>K5/K6: COUFUN confirmed our cancel (or said it was cancelled already): CANCELLED whatever we held.</summary>
    public static Task<int> CancelledAtSupplierAsync(MySqlConnection c, MySqlTransaction tx, long id, DateTime now, CancellationToken ct) =>
        c.ExecuteAsync(new CommandDefinition(
            "UPDATE coupons SET status = @cancelled, updated_at = @now WHERE id = @id", new { id, now, cancelled = Checked(CouponStatus.Unused, CouponStatus.Cancelled) }, tx, cancellationToken: ct));

    /// <summary>K5: an ADMIN settled a cancel with the supplier by other means; a coupon we still hold UNUSED becomes CANCELLED (D-RECON-7).</summary>
    public static Task<int> CancelledByPersonAsync(MySqlConnection c, MySqlTransaction tx, long id, DateTime now, CancellationToken ct) =>
        c.ExecuteAsync(new CommandDefinition(
            "UPDATE coupons SET status = @cancelled, updated_at = @now WHERE id = @id AND status = @unused",
            new { id, now, cancelled = Checked(CouponStatus.Unused, CouponStatus.Cancelled), unused = CouponStatus.Unused }, tx, cancellationToken: ct));

    /// <summary>K2–K4, K6: the newest exchange push; the status read it asks for follows (<c>status_check_due_at</c>).</summary>
    public static Task<int> ExchangedAsync(MySqlConnection c, MySqlTransaction tx, long id, string status, string supplierStatus, int used, int balance,
        DateTime exchangedAt, DateTime now) =>
        c.ExecuteAsync(
            """
            UPDATE coupons SET status = @status, supplier_status = @supplierStatus, used_amount = @used, balance = @balance,
              last_exchange_at = @exchangedAt, status_check_due_at = @now, updated_at = @now
            WHERE id = @id
            """,
            new { id, status = Known(status), supplierStatus, used, balance, exchangedAt, now }, tx);

    /// <summary>K2–K8: what the status API said (the authority, spec §7.2): state, balance, raw STATUS; the read is done.</summary>
    public static Task<int> ReadFromSupplierAsync(MySqlConnection c, long id, string status, string? supplierStatus, int usedAmount, int balance, DateTime now) =>
        c.ExecuteAsync(
            """
            UPDATE coupons SET status = @status, supplier_status = COALESCE(@supplierStatus, supplier_status), used_amount = @usedAmount, balance = @balance,
              status_check_due_at = NULL, status_checked_at = @now, updated_at = @now
            WHERE id = @id
            """,
            new { id, status = Known(status), supplierStatus, usedAmount, balance, now });

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
    /// K2–K8 in the caller's transaction, with its history row (also when nothing changed: a manual read is part of the
    /// coupon's story). The supplier's word wins; a change the machine does not list (e.g. back from CANCELLED) is applied
    /// and flagged for a person (spec §4.3).
    /// </summary>
    public static async Task ReadFromSupplierAsync(
        MySqlConnection c, MySqlTransaction tx, CouponRecord before, string status, string? supplierStatus, int usedAmount, int balance, string source, DateTime now, CancellationToken ct)
    {
        await c.ExecuteAsync(new CommandDefinition(
            """
            UPDATE coupons SET status = @status, supplier_status = COALESCE(@supplierStatus, supplier_status), used_amount = @usedAmount, balance = @balance,
              status_check_due_at = NULL, status_checked_at = @now, updated_at = @now
            WHERE id = @id
            """, new { id = before.Id, status = Known(status), supplierStatus, usedAmount, balance, now }, tx, cancellationToken: ct));
        var contradicts = before.Status != status && !CouponStatus.Machine.Allows(before.Status, status);
        await CouponStatusHistory.RecordAsync(c, tx,
            new CouponStatusChange(before.Id, source, before.Status, status, before.Balance, balance, supplierStatus,
                contradicts ? "공급사 상태가 우리 기록과 다름 (공급사 기준으로 반영)" : null, contradicts), now, ct);
    }

    private static string Known(string status) =>
        CouponStatus.Machine.States.Contains(status) ? status : throw new ArgumentException($"coupon has no state {status}", nameof(status));

    private static string Checked(string from, string to)
    {
        CouponStatus.Machine.Check(from, to);
        return to;
    }
}
