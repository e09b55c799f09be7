using CouponDesk.Features.Campaigns.Scheduling;
using CouponDesk.Hosting;

namespace CouponDesk.Features.Pipeline.Scheduling;

public static class SchedulingSetup
{
    /// <summary>Rate measurement (read by registration's start lead through <see cref="IPipelineLoad"/>), start re-planning, the C5 pre-flight and the late-campaign check.</summary>
    public static IServiceCollection AddPipelineScheduling(this IServiceCollection services)
    {
        services.AddSingleton<PreparationRates>();
        services.AddSingleton<IPipelineLoad>(sp => sp.GetRequiredService<PreparationRates>());
        services.AddSingleton<StartPlanner>();
        services.AddSingleton<StartPreflight>();
        services.AddSingleton<LateCampaigns>();
        services.AddSingleton<IJobRegistration>(new LateCampaignsJob.Registration());
        return services;
    }
}
