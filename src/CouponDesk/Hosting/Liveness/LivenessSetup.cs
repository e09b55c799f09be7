using CouponDesk.Shared.Hosting;

namespace CouponDesk.Hosting.Liveness;

public static class LivenessSetup
{
    /// <summary>Identity and heartbeat of this process; register right after the migration so the row exists before any claim.</summary>
    public static IServiceCollection AddProcessLiveness(this IServiceCollection services, IConfiguration configuration, bool hosted)
    {
        services.AddSettings<LivenessOptions>(configuration, LivenessOptions.Section);
        services.AddSingleton<ProcessIdentity>();
        services.AddSingleton<ProcessLiveness>();
        services.AddSingleton<ISlotOwners>(sp => sp.GetRequiredService<ProcessLiveness>());
        services.AddSingleton<ICreateCallPermit>(sp => sp.GetRequiredService<ProcessLiveness>());
        if (hosted)
        {
            services.AddHostedService(sp => sp.GetRequiredService<ProcessLiveness>());
        }

        return services;
    }
}
