namespace CouponDesk.Features.Auth;

/// <summary>
/// Security events the ADMINs are told about (spec §2.4: an account locked out). The default writes a warning to the
/// log (which the operations channel watches) and the event is in the audit trail; the alerts feature replaces this
/// registration with one that posts to the configured webhook and the in-app notice. Alerts carry no personal data.
/// </summary>
public interface ISecurityAlerts
{
    Task AccountLockedAsync(long userId, string loginId, CancellationToken cancellationToken);
}

public sealed class LoggingSecurityAlerts(ILogger<LoggingSecurityAlerts> logger) : ISecurityAlerts
{
    public Task AccountLockedAsync(long userId, string loginId, CancellationToken cancellationToken)
    {
        logger.LogWarning("SECURITY ALERT: account {UserId} ({LoginId}) was locked after consecutive failed logins", userId, loginId);
        return Task.CompletedTask;
    }
}
