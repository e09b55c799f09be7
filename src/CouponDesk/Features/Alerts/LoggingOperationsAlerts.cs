namespace CouponDesk.Features.Alerts;

/// <summary>The always-present sink: one warning (or error) line per alert in the JSON log the operations channel watches.</summary>
public sealed class LoggingOperationsAlerts(ILogger<LoggingOperationsAlerts> logger) : IOperationsAlerts
{
    public Task RaiseAsync(OperationsAlert alert, CancellationToken cancellationToken = default)
    {
        var level = alert.Severity switch
        {
            AlertSeverity.Info => LogLevel.Information,
            AlertSeverity.Critical => LogLevel.Error,
            _ => LogLevel.Warning,
        };
        logger.Log(level, "ALERT {AlertKind} {AlertSubject}: {AlertMessage}", alert.Kind, alert.Subject, alert.Message);
        return Task.CompletedTask;
    }
}
