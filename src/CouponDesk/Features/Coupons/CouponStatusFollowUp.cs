using CouponDesk.Data;
using CouponDesk.Integrations.Coufun;

namespace CouponDesk.Features.Coupons;

/// <summary>
/// After a push, reads the coupon's state from COUFUN's status API, which is authoritative (spec §7.2 [SR]): the push
/// is stored and answered at once, and this loop settles the state a few seconds later. Runs in the worker role;
/// coupons stay flagged (<c>status_check_due_at</c>) until a read succeeds, so nothing is lost across restarts.
/// </summary>
public sealed class CouponStatusFollowUp(CouponRepository coupons, CouponStatusReader reader, TimeProvider time, DatabaseOutage outage, ILogger<CouponStatusFollowUp> logger) : BackgroundService
{
    private static readonly TimeSpan Interval = TimeSpan.FromSeconds(2);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(Interval, time);
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            var started = outage.PassStarted();
            try
            {
                await RunOnceAsync(stoppingToken);
                outage.Succeeded(started);
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
            // A read of the status API (source POLL); the push itself is already in the history (source PUSH).
            if (await reader.ReadAsync(coupon, CouponStatusSource.Poll, ct) == StatusReadKind.Unavailable)
            {
                await coupons.PostponeStatusCheckAsync(coupon.Id, TimeSpan.FromMinutes(1), ct);
            }
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
