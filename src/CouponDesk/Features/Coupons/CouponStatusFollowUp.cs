using CouponDesk.Data;
using CouponDesk.Integrations.Coufun;

namespace CouponDesk.Features.Coupons;

/// <summary>
/// After a push, reads the coupon's state from COUFUN's status API, which is authoritative (spec §7.2 [SR]): the push
/// is stored and answered at once, and this loop settles the state a few seconds later. Runs in the worker role;
/// coupons stay flagged (<c>status_check_due_at</c>) until a read succeeds, so nothing is lost across restarts.
/// </summary>
public sealed class CouponStatusFollowUp(CouponRepository coupons, CoufunClient coufun, TimeProvider time, DatabaseOutage outage, ILogger<CouponStatusFollowUp> logger) : BackgroundService
{
    private static readonly TimeSpan Interval = TimeSpan.FromSeconds(2);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(Interval, time);
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            try
            {
                await RunOnceAsync(stoppingToken);
                outage.Succeeded();
            }
            catch (Exception ex) when (!stoppingToken.IsCancellationRequested && DatabaseOutage.IsOutage(ex))
            {
                outage.Failed(ex);
            }
            catch (Exception ex) when (!stoppingToken.IsCancellationRequested)
            {
                logger.LogWarning(ex, "Coupon status follow-up round failed");
            }
        }
    }

    public async Task<int> RunOnceAsync(CancellationToken ct)
    {
        var due = await coupons.DueForStatusCheckAsync(20, ct);
        foreach (var coupon in due)
        {
            var number = await coupons.RevealNumberAsync(coupon.Id, ct);
            if (number is null)
            {
                continue;
            }

            var result = await coufun.GetStatusAsync(coupon.GoodsId, number, ct);
            if (result.Value is not { } state)
            {
                await coupons.PostponeStatusCheckAsync(coupon.Id, TimeSpan.FromMinutes(result.Outcome == CoufunOutcome.Transient ? 1 : 60), ct);
                continue;
            }

            var (status, used, balance) = StatusFromSupplier(coupon, state, DateOnly.FromDateTime(Shared.Time.Kst.Now(time)));
            await coupons.ApplySupplierStateAsync(coupon.Id, status, state.Status, used, balance, ct);
        }

        return due.Count;
    }

    /// <summary>Our state from a status answer: 100 cancelled, 001 used, AMOUNT by balances, expiry derived (spec §4.2).</summary>
    public static (string Status, int Used, int Balance) StatusFromSupplier(CouponRecord coupon, CoufunCouponStatus state, DateOnly todayKst)
    {
        var isAmount = coupon.CouponType == CouponType.Amount;
        var balance = isAmount ? state.RemainAmount ?? coupon.Balance : coupon.Balance;
        var total = isAmount ? state.TotalAmount ?? coupon.FaceValue : coupon.FaceValue;
        if (state.Status == "100")
        {
            return (CouponStatus.Cancelled, coupon.UsedAmount, balance);
        }

        if (state.Status == "001" || (isAmount && balance == 0))
        {
            return (CouponStatus.Used, total, 0);
        }

        if (state.Expired || todayKst > (state.ValidEndDate ?? coupon.ValidUntil))
        {
            return (CouponStatus.Expired, total - balance, balance);
        }

        if (isAmount && balance < total)
        {
            return (CouponStatus.PartiallyUsed, total - balance, balance);
        }

        return (CouponStatus.Unused, 0, isAmount ? balance : coupon.FaceValue);
    }
}
