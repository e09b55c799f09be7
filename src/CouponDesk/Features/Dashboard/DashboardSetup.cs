using CouponDesk.Hosting;

namespace CouponDesk.Features.Dashboard;

public static class DashboardSetup
{
    /// <summary>The dashboard API and, in every process, the heartbeat it shows.</summary>
    public static IServiceCollection AddDashboard(this IServiceCollection services)
    {
        services.AddSingleton<CampaignBoard>();
        services.AddSingleton<SystemStatus>();
        services.AddSingleton<DashboardQueries>();
        services.AddEndpointModule<DashboardEndpoints>();
        services.AddHostedService<WorkerHeartbeat>();
        return services;
    }
}
