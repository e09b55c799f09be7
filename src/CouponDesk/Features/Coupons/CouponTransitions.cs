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

    private static string Known(string status) =>
        CouponStatus.Machine.States.Contains(status) ? status : throw new ArgumentException($"coupon has no state {status}", nameof(status));

    private static string Checked(string from, string to)
    {
        CouponStatus.Machine.Check(from, to);
        return to;
    }
}
