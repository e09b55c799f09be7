using CouponDesk.Hosting;
using CouponDesk.Shared.Hosting;

namespace CouponDesk.Features.Dashboard;

public static class DashboardSetup
{
    /// <summary>The dashboard API (the heartbeats it shows are written by <c>Hosting/Liveness</c> in every process).</summary>
    public static IServiceCollection AddDashboard(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddSettings<DashboardOptions>(configuration, DashboardOptions.Section);
        services.AddSingleton<CampaignBoard>();
        services.AddSingleton<SystemStatus>();
        services.AddSingleton<RecentExchangeRates>();
        services.AddSingleton<DashboardQueries>();
        services.AddSingleton<DashboardSnapshots>();
        services.AddEndpointModule<DashboardEndpoints>();
        return services;
    }
}
