using CouponDesk.Hosting;

namespace CouponDesk.Features.Dashboard;

public static class DashboardSetup
{
    /// <summary>The dashboard API (the heartbeats it shows are written by <c>Hosting/Liveness</c> in every process).</summary>
    public static IServiceCollection AddDashboard(this IServiceCollection services, IConfiguration configuration)
    {
        _ = configuration;
        services.AddSingleton<CampaignBoard>();
        services.AddSingleton<SystemStatus>();
        services.AddSingleton<RecentExchangeRates>();
        services.AddSingleton<DashboardQueries>();
        services.AddEndpointModule<DashboardEndpoints>();
        return services;
    }
}
