using CouponDesk.Hosting;
using CouponDesk.Integrations.Snap;

namespace CouponDesk.Features.Messages;

public static class MessagesSetup
{
    /// <summary>
    /// The SNAP Agent hand-off (<see cref="SnapSetup.AddSnapAgent"/>) and our <c>messages</c>: id allocation, the writer,
    /// withdrawal, result sync and staged-image purge with their jobs. Must run before the jobs are set up (it adds job
    /// registrations).
    /// </summary>
    public static IServiceCollection AddSnapMessaging(this IServiceCollection services, IConfiguration configuration)
    {
        var settings = services.AddSnapAgent(configuration);
        services.AddSingleton<MessageIdAllocator>();
        services.AddSingleton<SnapMessageWriter>();
        services.AddSingleton<SnapMessageCanceller>();
        services.AddSingleton<DeliveryResultSync>();
        services.AddSingleton<StagedImagePurge>();
        services.AddTransient<DeliveryResultSyncJob>();
        services.AddTransient<StagedImagePurge.Job>();
        services.AddSingleton<IJobRegistration>(new DeliveryResultSyncJob.Registration(settings));
        services.AddSingleton<IJobRegistration>(new StagedImagePurge.Registration());
        return services;
    }
}
