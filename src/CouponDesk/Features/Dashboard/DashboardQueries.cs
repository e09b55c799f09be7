using CouponDesk.Data;
using CouponDesk.Features.Coupons;
using CouponDesk.Features.Pipeline;
using Dapper;
using MySqlConnector;

namespace CouponDesk.Features.Dashboard;

/// <summary>
/// Builds the dashboard (spec §3.8); each panel's rules live in its own class. Every panel is read on its own pooled
/// connection and fails on its own: a panel that cannot be read is logged, left empty and named in
/// <see cref="Dashboard.Unavailable"/> with a Korean message, and the others are still shown (issue 14 point 1: one
/// unreadable value once took the whole landing page down for every role).
/// </summary>
public sealed class DashboardQueries(DbConnectionFactory connections, CampaignBoard board, SystemStatus system, RecentExchangeRates exchange, TimeProvider time, ILogger<DashboardQueries> logger)
{
    public async Task<Dashboard> GetAsync(string period, CancellationToken ct)
    {
        var today = DashboardPeriod.For(DashboardPeriod.Today, time);
        var week = DashboardPeriod.For(DashboardPeriod.SevenDays, time);
        var unavailable = new Dictionary<string, string>(StringComparer.Ordinal);
        var sending = await PanelAsync(DashboardPanels.Sending, unavailable, async c => new Sending(await SendingStats.ReadAsync(c, today, week, ct)), ct);
        var failures = await PanelAsync(DashboardPanels.Failures, unavailable, c => FailureReasons.ReadAsync(c, period == DashboardPeriod.SevenDays ? week : today, ct), ct);
        var running = await PanelAsync(DashboardPanels.Running, unavailable, c => board.RunningAsync(c, ct), ct);
        var upcoming = await PanelAsync(DashboardPanels.Upcoming, unavailable, c => board.UpcomingAsync(c, ct), ct);
        var todayKst = DateOnly.FromDateTime(Shared.Time.Kst.Now(time)).ToDateTime(TimeOnly.MinValue);
        var attention = await PanelAsync(DashboardPanels.Attention, unavailable, c => AttentionAsync(c, todayKst, ct), ct);
        var state = await PanelAsync(DashboardPanels.System, unavailable, c => system.ReadAsync(c, ct), ct);
        var rates = await PanelAsync(DashboardPanels.Exchange, unavailable, c => exchange.ReadAsync(c, ct), ct);
        return new Dashboard(time.GetUtcNow().UtcDateTime, period, sending?.Stats.Today, sending?.Stats.Rates, failures, running, upcoming,
            attention?.InDoubt, attention?.GaveUp, state, unavailable)
        { CouponConflicts = attention?.Conflicts, ExpiringSoon = attention?.ExpiringSoon, PendingApprovals = attention?.PendingApprovals, ExchangeRates = rates };
    }

    private async Task<Attention> AttentionAsync(MySqlConnection c, DateTime todayKst, CancellationToken ct)
    {
        var inDoubt = await c.ExecuteScalarAsync<int>(new CommandDefinition($"SELECT COUNT(*) FROM issuance_orders WHERE status = '{OrderStatus.InDoubt}'", cancellationToken: ct));
        // Coupons the cancel follow-up gave up on (공급사 취소 실패): money lost unless a person acts.
        var gaveUp = await c.ExecuteScalarAsync<int>(new CommandDefinition("SELECT COUNT(*) FROM coupon_cancels WHERE state = 'GAVE_UP'", cancellationToken: ct));
        // Supplier/record conflicts and unapplied status answers an ADMIN has not reviewed (spec §4.3).
        var conflicts = await CouponReviews.OpenCountAsync(c, ct);
        // 만료 예정: coupons still unused (or partly used) whose validity ends within 7 days (KST), issue 17 point 9.
        var expiring = await c.ExecuteScalarAsync<int>(new CommandDefinition(
            $"SELECT COUNT(*) FROM coupons WHERE status IN {CouponStatus.Machine.InSql(CouponStatus.Unused, CouponStatus.PartiallyUsed)} AND valid_until >= @today AND valid_until <= @soon",
            new { today = todayKst, soon = todayKst.AddDays(7) }, cancellationToken: ct));
        // 승인 대기 (spec §1.3 item 3, §3.8 확인 필요): two-person approval requests nobody has decided yet.
        var approvals = await c.ExecuteScalarAsync<int>(new CommandDefinition(
            "SELECT COUNT(*) FROM approval_requests WHERE status = 'PENDING' AND expires_at > @now", new { now = time.GetUtcNow().UtcDateTime }, cancellationToken: ct));
        return new Attention(inDoubt, gaveUp, conflicts, expiring, approvals);
    }

    /// <summary>A panel's value, or nothing (logged, and named in <paramref name="unavailable"/>) when it cannot be read.</summary>
    private async Task<T?> PanelAsync<T>(string panel, Dictionary<string, string> unavailable, Func<MySqlConnection, Task<T>> read, CancellationToken ct)
        where T : class
    {
        try
        {
            await using var c = await connections.OpenAsync(ct);
            return await read(c);
        }
        catch (Exception e) when (!ct.IsCancellationRequested)
        {
            logger.LogError(e, "Dashboard panel {Panel} could not be read", panel);
            unavailable[panel] = DashboardPanels.UnavailableMessage(panel);
            return null;
        }
    }

    private sealed record Sending((TodaySending Today, SuccessRates Rates) Stats);

    private sealed record Attention(int InDoubt, int GaveUp, int Conflicts, int ExpiringSoon, int PendingApprovals);
}
