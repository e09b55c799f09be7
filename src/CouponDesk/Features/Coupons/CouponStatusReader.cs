using System.Globalization;
using CouponDesk.Data;
using CouponDesk.Integrations.Coufun;
using CouponDesk.Shared.Time;

namespace CouponDesk.Features.Coupons;

/// <summary>What one status read did to a coupon.</summary>
public enum StatusReadKind
{
    /// <summary>COUFUN's answer matched our record.</summary>
    Unchanged,

    /// <summary>Applied: the state or balance changed along the machine's transitions.</summary>
    Changed,

    /// <summary>Applied although it contradicts our record; flagged for an ADMIN (spec §4.3).</summary>
    Conflict,

    /// <summary>Not applied (unknown coupon, malformed value); flagged for an ADMIN; the coupon keeps its state.</summary>
    Review,

    /// <summary>COUFUN did not answer usefully (transport, 50/99, a stop code such as 01/02/98): nothing recorded, try later.</summary>
    Unavailable,
}

/// <summary>
/// One <c>coufunPartAmountStatus</c> read applied to one coupon (spec §4.2, §5.6): the number revealed, the call made
/// through the shared COUFUN limits (<see cref="CoufunClient"/>), and the answer applied under the coupon's row lock by
/// the state-machine owner (<see cref="CouponTransitions"/>) — or kept for review when it cannot be applied. Never throws
/// for what COUFUN answers; logs carry the coupon id and codes only.
/// </summary>
public sealed class CouponStatusReader(CouponRepository coupons, CoufunClient coufun, DbConnectionFactory connections, TimeProvider time, ILogger<CouponStatusReader> logger)
{
    public async Task<StatusReadKind> ReadAsync(CouponRecord coupon, string source, CancellationToken ct)
    {
        var number = await coupons.RevealNumberAsync(coupon.Id, ct);
        if (number is null)
        {
            return StatusReadKind.Unavailable;
        }

        var answer = await coufun.GetStatusAsync(coupon.GoodsId, number, ct);
        if (answer.Value is { } state)
        {
            return state.Unreadable.Count > 0
                ? await ReviewAsync(coupon.Id, source, CouponReview.Unreadable, "공급사 응답 값 오류: " + string.Join(", ", state.Unreadable), ct)
                : await ApplyAsync(coupon.Id, state, source, ct);
        }

        return answer switch
        {
            // A 00 whose body could not be read is this coupon's problem, not an outage.
            { Outcome: CoufunOutcome.Transient, ResultCode: "00" } => await ReviewAsync(coupon.Id, source, CouponReview.Unreadable, "공급사 응답을 읽을 수 없음", ct),
            { Outcome: CoufunOutcome.Rejected } => await ReviewAsync(coupon.Id, source, CouponReview.NotFound,
                string.Create(CultureInfo.InvariantCulture, $"공급사 조회 거절 [{answer.ResultCode}] {CoufunResultCodes.DescribeKo(CoufunApi.Status, answer.ResultCode ?? "")}"), ct),
            _ => StatusReadKind.Unavailable,
        };
    }

    private async Task<StatusReadKind> ApplyAsync(long couponId, CoufunCouponStatus state, string source, CancellationToken ct) =>
        await DeadlockRetry.RunAsync(async () =>
        {
            var now = time.GetUtcNow().UtcDateTime;
            await using var c = await connections.OpenAsync(ct);
            await using var tx = await c.BeginTransactionAsync(ct);
            // Locked and read again: a push may have changed the coupon since it was selected.
            if (await CouponRepository.LockRowAsync(c, tx, couponId, ct) is not { } before)
            {
                return StatusReadKind.Unavailable;
            }

            var (status, used, balance) = CouponStatusFollowUp.StatusFromSupplier(before, state, DateOnly.FromDateTime(Kst.Now(time)));
            var conflict = source == CouponStatusSource.Poll
                ? await CouponTransitions.PolledAsync(c, tx, before, status, state.Status, used, balance, now, ct)
                : await CouponTransitions.ReadFromSupplierAsync(c, tx, before, status, state.Status, used, balance, source, now, ct);
            await tx.CommitAsync(ct);
            if (conflict)
            {
                logger.LogWarning("Coupon {CouponId}: COUFUN reports {Status} against our {Before}; applied and flagged for review", couponId, status, before.Status);
            }

            return conflict ? StatusReadKind.Conflict : before.Status != status || before.Balance != balance ? StatusReadKind.Changed : StatusReadKind.Unchanged;
        }, logger, "coupon status read");

    private async Task<StatusReadKind> ReviewAsync(long couponId, string source, string review, string note, CancellationToken ct)
    {
        logger.LogWarning("Coupon {CouponId}: status answer kept for review ({Review}: {Note})", couponId, review, note);
        await DeadlockRetry.RunAsync(async () =>
        {
            await using var c = await connections.OpenAsync(ct);
            await using var tx = await c.BeginTransactionAsync(ct);
            if (await CouponRepository.LockRowAsync(c, tx, couponId, ct) is { } before)
            {
                await CouponTransitions.KeptForReviewAsync(c, tx, before, source, review, note, time.GetUtcNow().UtcDateTime, ct);
            }

            await tx.CommitAsync(ct);
            return 0;
        }, logger, "coupon status review");
        return StatusReadKind.Review;
    }
}
