using Dapper;
using MySqlConnector;

namespace CouponDesk.Features.Coupons;

/// <summary>Where a coupon's state came from (spec §4.3: push / poll / C/S / system).</summary>
public static class CouponStatusSource
{
    public const string Push = "PUSH";
    public const string Poll = "POLL";
    public const string CustomerService = "CS";
    public const string System = "SYSTEM";
}

/// <summary>Why a history row is flagged for an ADMIN (column <c>review</c>).</summary>
public static class CouponReview
{
    /// <summary>The supplier's word contradicted our record; applied anyway (spec §4.3 rule).</summary>
    public const string Conflict = "CONFLICT";

    /// <summary>A status answer with a malformed date, amount or STATUS: kept, not applied.</summary>
    public const string Unreadable = "UNREADABLE";

    /// <summary>COUFUN does not know the coupon (status code 16) or refused to read it: kept, not applied.</summary>
    public const string NotFound = "NOT_FOUND";
}

/// <summary>One row of <c>coupon_status_history</c>, written in the caller's transaction with the change it records.</summary>
public sealed record CouponStatusChange(
    long CouponId, string Source, string? OldStatus, string NewStatus, int? OldBalance, int? NewBalance, string? SupplierStatus, string? Note = null, bool Flagged = false)
{
    /// <summary>Why <see cref="Flagged"/> (a <see cref="CouponReview"/> value); a conflict when flagged without one.</summary>
    public string? Review { get; init; }
}

/// <summary>Appends to a coupon's status history (insert-only; the newest row is the coupon's last known source and time).</summary>
public static class CouponStatusHistory
{
    public static Task RecordAsync(MySqlConnection c, MySqlTransaction tx, CouponStatusChange change, DateTime nowUtc, CancellationToken ct) =>
        c.ExecuteAsync(new CommandDefinition(
            """
            INSERT INTO coupon_status_history (coupon_id, source, old_status, new_status, old_balance, new_balance, supplier_status, flagged, review, note, occurred_at)
            VALUES (@CouponId, @Source, @OldStatus, @NewStatus, @OldBalance, @NewBalance, @SupplierStatus, @Flagged, @review, @note, @nowUtc)
            """,
            new
            {
                change.CouponId,
                change.Source,
                change.OldStatus,
                change.NewStatus,
                change.OldBalance,
                change.NewBalance,
                change.SupplierStatus,
                change.Flagged,
                review = change.Flagged ? change.Review ?? CouponReview.Conflict : null,
                note = Fit(change.Note),
                nowUtc,
            },
            tx, cancellationToken: ct));

    private static string? Fit(string? note) => note is null || note.Length <= 200 ? note : note[..200];
}
