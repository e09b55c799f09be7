using CouponDesk.Data;
using CouponDesk.Features.Messages;
using CouponDesk.Hosting;
using CouponDesk.Integrations.Snap.SenderNumbers;
using CouponDesk.Shared.Hosting;

namespace CouponDesk.Integrations.Snap;

public static class SnapServiceCollectionExtensions
{
    /// <summary>
    /// The SNAP Agent hand-off and our <c>messages</c>: writer, validator, image staging, withdrawal, result reading,
    /// the result-sync, image-purge and month-table jobs, sender numbers. Must run before the jobs are set up (it adds job registrations).
    /// </summary>
    public static IServiceCollection AddSnapMessaging(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddSettings<SnapOptions>(configuration, SnapOptions.Section);
        var section = configuration.GetSection(SnapOptions.Section);
        var settings = section.Get<SnapOptions>() ?? new SnapOptions();
        services.AddSingleton<IMigrationInput>(new SnapAgentSchema(settings.CreateAgentTables, settings.SendTable));

        services.AddSingleton<SenderNumberRegistry>();
        services.AddHostedService<SenderNumberSeeder>();
        services.AddSingleton<SnapImageStager>();
        services.AddSingleton<MmsValidator>();
        services.AddSingleton<MessageIdAllocator>();
        services.AddSingleton<SnapMessageWriter>();
        services.AddSingleton<SnapMessageCanceller>();
        services.AddSingleton<SnapResultReader>();
        services.AddSingleton<DeliveryResultSync>();
        services.AddSingleton<StagedImagePurge>();
        services.AddSingleton<AgentLogTables>();
        services.AddTransient<AgentLogTables.Job>();
        services.AddTransient<DeliveryResultSyncJob>();
        services.AddTransient<StagedImagePurge.Job>();
        services.AddSingleton<IJobRegistration>(new DeliveryResultSyncJob.Registration(settings));
        services.AddSingleton<IJobRegistration>(new StagedImagePurge.Registration());
        services.AddSingleton<IJobRegistration>(new AgentLogTables.Registration());
        return services;
    }
}
