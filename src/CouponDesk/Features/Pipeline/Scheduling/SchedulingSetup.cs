namespace CouponDesk.Features.Pipeline.Scheduling;

public static class SchedulingSetup
{
    /// <summary>Start lead (shared with registration), rate measurement, start re-planning and the C5 pre-flight.</summary>
    public static IServiceCollection AddPipelineScheduling(this IServiceCollection services)
    {
        services.AddSingleton<PreparationRates>();
        services.AddSingleton<StartLeadCalculator>();
        services.AddSingleton<StartPlanner>();
        services.AddSingleton<StartPreflight>();
        return services;
    }
}
