using CouponDesk.Data;
using Dapper;

namespace CouponDesk.Features.Dashboard;

/// <summary>Builds the whole dashboard (spec §3.8) on one connection; each panel's rules live in its own class.</summary>
public sealed class DashboardQueries(DbConnectionFactory connections, CampaignBoard board, SystemStatus system, TimeProvider time)
{
    public async Task<Dashboard> GetAsync(string period, CancellationToken ct)
    {
        var today = DashboardPeriod.For(DashboardPeriod.Today, time);
        var week = DashboardPeriod.For(DashboardPeriod.SevenDays, time);
        await using var c = await connections.OpenAsync(ct);
        var (sending, rates) = await SendingStats.ReadAsync(c, today, week, ct);
        var failures = await FailureReasons.ReadAsync(c, period == DashboardPeriod.SevenDays ? week : today, ct);
        var running = await board.RunningAsync(c, ct);
        var upcoming = await board.UpcomingAsync(c, ct);
        var inDoubt = await c.ExecuteScalarAsync<int>(new CommandDefinition("SELECT COUNT(*) FROM issuance_orders WHERE status = 'IN_DOUBT'", cancellationToken: ct));
        // Coupons the cancel follow-up gave up on (공급사 취소 실패): money lost unless a person acts.
        var gaveUp = await c.ExecuteScalarAsync<int>(new CommandDefinition("SELECT COUNT(*) FROM coupon_cancels WHERE state = 'GAVE_UP'", cancellationToken: ct));
        var state = await system.ReadAsync(c, ct);
        return new Dashboard(time.GetUtcNow().UtcDateTime, period, sending, rates, failures, running, upcoming, inDoubt, gaveUp, state);
    }
}
