using CouponDesk.Hosting;

namespace CouponDesk.Features.Pipeline.Scheduling;

public static class SchedulingSetup
{
    /// <summary>Start lead (shared with registration), rate measurement, start re-planning, the C5 pre-flight and the late-campaign check.</summary>
    public static IServiceCollection AddPipelineScheduling(this IServiceCollection services)
    {
        services.AddSingleton<PreparationRates>();
        services.AddSingleton<StartLeadCalculator>();
        services.AddSingleton<StartPlanner>();
        services.AddSingleton<StartPreflight>();
        services.AddSingleton<LateCampaigns>();
        services.AddSingleton<IJobRegistration>(new LateCampaignsJob.Registration());
        return services;
    }
}
