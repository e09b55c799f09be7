using System.Globalization;
using CouponDesk.Data;
using CouponDesk.Features.Alerts;
using CouponDesk.Shared.Time;
using Dapper;

namespace CouponDesk.Features.Coupons;

/// <summary>What one sync run did (logged, returned to tests and the benchmark).</summary>
public sealed record CouponStatusSyncSummary(int Selected, int Calls, int Changed, int Conflicts, int Reviews, bool StoppedForOutage);

/// <summary>
/// The coupon status sync (spec §5.6, §5.8: every 5 minutes, 200 coupons): the safety net behind the exchange push. A run
/// picks the coupons that can still change — UNUSED / PARTIALLY_USED within their validity, and any coupon C/S touched in
/// the last 24 hours that is not CANCELLED — in the spec's order: touched by C/S, then expiring within 7 days, then the
/// rest by oldest check (a prioritised coupon read within <see cref="CouponStatusOptions.PriorityRecheckMinutes"/> waits
/// with the rest). Each is read through <see cref="CouponStatusReader"/> (shared COUFUN limits, state-machine owner).
/// Supplier/record conflicts are alerted once per run; when COUFUN does not answer for
/// <see cref="CouponStatusOptions.OutageAfterFailures"/> reads in a row the run stops with one alert.
/// </summary>
public sealed class CouponStatusSync(
    DbConnectionFactory connections,
    CouponRepository coupons,
    CouponStatusReader reader,
    IOperationsAlerts alerts,
    CouponStatusOptions options,
    TimeProvider time,
    ILogger<CouponStatusSync> logger)
{
    public const string OutageAlertKind = "coupon-sync.outage";
    public const string ConflictAlertKind = "coupon.conflict";

    public async Task<CouponStatusSyncSummary> RunOnceAsync(CancellationToken ct)
    {
        var ids = await SelectAsync(ct);
        var byId = (await coupons.FindByIdsAsync(ids, ct)).ToDictionary(k => k.Id);
        int calls = 0, changed = 0, conflicts = 0, reviews = 0, failuresInARow = 0;
        var stopped = false;
        foreach (var id in ids)
        {
            if (!byId.TryGetValue(id, out var coupon))
            {
                continue;
            }

            calls++;
            StatusReadKind kind;
            try
            {
                kind = await reader.ReadAsync(coupon, CouponStatusSource.Poll, ct);
            }
            catch (Exception ex) when (!ct.IsCancellationRequested && !DatabaseOutage.IsOutage(ex))
            {
                // One coupon's bad data must not stop the batch.
                logger.LogError(ex, "Status sync: coupon {CouponId} could not be read", id);
                continue;
            }

            failuresInARow = kind == StatusReadKind.Unavailable ? failuresInARow + 1 : 0;
            changed += kind is StatusReadKind.Changed or StatusReadKind.Conflict ? 1 : 0;
            conflicts += kind == StatusReadKind.Conflict ? 1 : 0;
            reviews += kind == StatusReadKind.Review ? 1 : 0;
            if (failuresInARow >= options.OutageAfterFailures)
            {
                stopped = true;
                break;
            }
        }

        if (stopped)
        {
            logger.LogWarning("Status sync stopped after {Calls} reads: COUFUN gave no usable answer {Failures} times in a row", calls, failuresInARow);
            await alerts.RaiseAsync(new OperationsAlert(OutageAlertKind,
                string.Create(CultureInfo.InvariantCulture, $"쿠폰 상태 동기화를 건너뛰었습니다: 공급사(COUFUN)가 {failuresInARow}회 연속 응답하지 않았습니다. 다음 주기({options.SyncIntervalSeconds / 60}분 후)에 다시 시도합니다."),
                AlertSeverity.Warning, "coufun"), ct);
        }

        if (conflicts > 0)
        {
            await RaiseConflictsAsync(alerts, conflicts, "상태 동기화", ct);
        }

        var summary = new CouponStatusSyncSummary(ids.Count, calls, changed, conflicts, reviews, stopped);
        if (calls > 0)
        {
            logger.LogInformation("Status sync: {Selected} selected, {Calls} read, {Changed} changed, {Conflicts} conflicts, {Reviews} kept for review, stopped {Stopped}",
                summary.Selected, summary.Calls, summary.Changed, summary.Conflicts, summary.Reviews, summary.StoppedForOutage);
        }

        return summary;
    }

    /// <summary>One alert for <paramref name="count"/> new supplier/record conflicts (spec §5.9); no coupon number, only a count and where to look.</summary>
    public static Task RaiseConflictsAsync(IOperationsAlerts alerts, int count, string source, CancellationToken ct) =>
        alerts.RaiseAsync(new OperationsAlert(ConflictAlertKind,
            string.Create(CultureInfo.InvariantCulture, $"공급사 상태가 우리 기록과 다른 쿠폰 {count}건을 공급사 기준으로 반영했습니다 ({source}). 관리자 확인이 필요합니다 (쿠폰 상태 확인 목록)."),
            AlertSeverity.Warning, "coupons:" + source), ct);

    /// <summary>The run's coupons, in the spec's order; three index-friendly reads merged here.</summary>
    public async Task<IReadOnlyList<long>> SelectAsync(CancellationToken ct)
    {
        var now = time.GetUtcNow().UtcDateTime;
        var today = DateOnly.FromDateTime(Kst.Now(time)).ToDateTime(TimeOnly.MinValue);
        var p = new
        {
            batch = options.BatchSize,
            today,
            soon = today.AddDays(options.ExpiringWithinDays),
            csSince = now.AddHours(-options.CsTouchedHours),
            recent = now.AddMinutes(-options.PriorityRecheckMinutes),
            cancelled = CouponStatus.Cancelled,
        };
        var live = CouponStatus.Machine.InSql(CouponStatus.Unused, CouponStatus.PartiallyUsed);
        await using var c = await connections.OpenAsync(ct);
        var touched = await c.QueryAsync<long>(new CommandDefinition(
            """
            SELECT k.id FROM coupons k
            WHERE k.id IN (SELECT a.coupon_id FROM cs_actions a WHERE a.created_at >= @csSince AND a.coupon_id IS NOT NULL)
              AND k.status <> @cancelled AND (k.status_checked_at IS NULL OR k.status_checked_at < @recent)
            ORDER BY k.status_checked_at, k.id LIMIT @batch
            """, p, cancellationToken: ct));
        var expiring = await c.QueryAsync<long>(new CommandDefinition(
            $"""
            SELECT id FROM coupons
            WHERE status IN {live} AND valid_until >= @today AND valid_until <= @soon AND (status_checked_at IS NULL OR status_checked_at < @recent)
            ORDER BY status_checked_at, id LIMIT @batch
            """, p, cancellationToken: ct));
        var rest = await c.QueryAsync<long>(new CommandDefinition(
            $"SELECT id FROM coupons WHERE status IN {live} AND valid_until >= @today ORDER BY status_checked_at, id LIMIT @batch", p, cancellationToken: ct));
        return [.. touched.Concat(expiring).Concat(rest).Distinct().Take(options.BatchSize)];
    }
}
