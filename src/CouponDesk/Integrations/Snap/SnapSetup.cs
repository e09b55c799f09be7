using CouponDesk.Data;
using CouponDesk.Hosting;
using CouponDesk.Integrations.Snap.SenderNumbers;
using CouponDesk.Shared.Hosting;

namespace CouponDesk.Integrations.Snap;

public static class SnapSetup
{
    /// <summary>
    /// The SNAP Agent side: settings, the agent's table DDL, sender numbers, image staging, validation, result reading, and
    /// the hourly month-table job (<see cref="AgentLogTables"/>; it adds a job registration, so this runs before the jobs are set up).
    /// </summary>
    public static SnapOptions AddSnapAgent(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddSettings<SnapOptions>(configuration, SnapOptions.Section);
        var settings = configuration.GetSection(SnapOptions.Section).Get<SnapOptions>() ?? new SnapOptions();
        services.AddSingleton<IMigrationInput>(new SnapAgentSchema(settings.CreateAgentTables, settings.SendTable));
        services.AddSingleton<SenderNumberRegistry>();
        services.AddHostedService<SenderNumberSeeder>();
        services.AddSingleton<SnapImageStager>();
        services.AddSingleton<MmsValidator>();
        services.AddSingleton<SnapResultReader>();
        services.AddSingleton<AgentLogTables>();
        services.AddTransient<AgentLogTables.Job>();
        services.AddSingleton<IJobRegistration>(new AgentLogTables.Registration());
        return settings;
    }
}
