using System.Globalization;
using CouponDesk.Data;
using CouponDesk.Features.Alerts;
using CouponDesk.Features.Audit;
using CouponDesk.Features.Auth;
using Dapper;

namespace CouponDesk.Features.CustomerService;

/// <summary>
/// Personal-data accesses (spec §7.4): C/S searches, detail views, image views and reveals are audited with whose data
/// was looked at, and counted per user from the audit trail (index on login and time — the same on every node, no
/// table of its own). More than <see cref="CsOptions.AccessAlertThreshold"/> in an hour raises a <c>security.pii_access</c>
/// alert on the operations channel (throttled per user like every alert; it carries no personal data).
/// </summary>
public sealed class PersonalDataAccess(DbConnectionFactory connections, AuditTrail audit, IOperationsAlerts alerts, CsOptions options, TimeProvider time)
{
    public const string AlertKind = "security.pii_access";
    public const string Searched = "cs.searched";
    public const string Viewed = "cs.item_viewed";
    public const string ImageViewed = "cs.image_viewed";
    public const string Revealed = "cs.revealed";

    /// <summary>The audit actions that count as a personal-data access.</summary>
    public static readonly string[] CountedActions = [Searched, Viewed, ImageViewed, Revealed];

    /// <summary>Audits one access (its own transaction) and alerts when the user passed the hourly threshold.</summary>
    public async Task RecordAsync(AuditActor actor, AuditEntry entry, CancellationToken ct)
    {
        await audit.WriteAsync(entry, ct);
        if (actor.Login is null)
        {
            return;
        }

        await using var c = await connections.OpenAsync(ct);
        var since = time.GetUtcNow().UtcDateTime.AddHours(-1);
        var count = await c.ExecuteScalarAsync<long>(new CommandDefinition(
            "SELECT COUNT(*) FROM audit_log WHERE actor_login = @login AND occurred_at >= @since AND action IN @actions",
            new { login = actor.Login, since, actions = CountedActions }, cancellationToken: ct));
        if (count > options.AccessAlertThreshold)
        {
            await alerts.RaiseAsync(new OperationsAlert(AlertKind,
                string.Create(CultureInfo.InvariantCulture,
                    $"사용자 {OperationsSecurityAlerts.MaskLoginId(actor.Login)} (#{actor.UserId})이(가) 최근 1시간 동안 개인정보를 {count}회 조회했습니다 (기준 {options.AccessAlertThreshold}회). 감사로그에서 확인해 주세요."),
                AlertSeverity.Critical, string.Create(CultureInfo.InvariantCulture, $"user:{actor.UserId}")), ct);
        }
    }
}
