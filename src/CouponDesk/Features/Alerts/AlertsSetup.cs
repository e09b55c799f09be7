namespace CouponDesk.Features.Alerts;

public static class AlertsSetup
{
    /// <summary>Registers the operations-alert channel. Today: the log. The webhook sink is added by the alerts work (#8).</summary>
    public static IServiceCollection AddOperationsAlerts(this IServiceCollection services, IConfiguration configuration)
    {
        _ = configuration;
        services.AddSingleton<IOperationsAlerts, LoggingOperationsAlerts>();
        return services;
    }
}
