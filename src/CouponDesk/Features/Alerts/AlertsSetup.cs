using CouponDesk.Hosting;
using CouponDesk.Integrations.Snap;
using CouponDesk.Shared.Hosting;
using Microsoft.Extensions.Options;

namespace CouponDesk.Features.Alerts;

public static class AlertsSetup
{
    /// <summary>
    /// Registers the operations-alert channel: the log always, and the webhook (when <c>Alerts:WebhookUrl</c> is set)
    /// through a bounded queue and a background sender, throttled per (kind, subject).
    /// </summary>
    public static IServiceCollection AddOperationsAlerts(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddSettings<AlertsOptions>(configuration, AlertsOptions.Section);
        services.AddSingleton<IValidateOptions<AlertsOptions>, AlertsOptionsValidator>();
        services.AddSingleton<LoggingOperationsAlerts>();
        services.AddSingleton<AlertThrottle>();
        services.AddSingleton<AlertQueue>();
        services.AddSingleton<IOperationsAlerts, OperationsAlerts>();
        // No handler logging: the URL is the webhook's secret.
        services.AddHttpClient(AlertWebhookSender.HttpClientName, c => c.Timeout = Timeout.InfiniteTimeSpan).RemoveAllLoggers();
        services.AddSingleton<AlertWebhookSender>();
        services.AddHostedService(sp => sp.GetRequiredService<AlertWebhookSender>());
        services.AddSingleton<AgentDelayCheck>();
        services.AddSingleton<IJobRegistration>(new AgentDelayJob.Registration());
        services.AddSingleton<WorkerHealthCheck>();
        services.AddSingleton<StorageSpaceCheck>();
        services.AddSingleton(sp => new WatchedDirectory("쿠폰 이미지", sp.GetRequiredService<SnapOptions>().ImageDirectory));
        services.AddSingleton<IJobRegistration>(new SystemChecksJob.Registration());
        return services;
    }
}
