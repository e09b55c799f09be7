using CouponDesk.Features.Privacy;
using CouponDesk.Hosting;
using CouponDesk.Integrations.Snap;
using CouponDesk.Security.Pii;

namespace CouponDesk.Features.Messages;

public static class MessagesSetup
{
    /// <summary>The phone a message went to: bound to its row (spec §7.2, issue 17 point 6; the id is allocated before the insert).</summary>
    public static readonly EncryptedColumn PhoneColumn = new EncryptedColumn("messages", "phone_enc", Bound: true).Validated();

    /// <summary>
    /// The SNAP Agent hand-off (<see cref="SnapSetup.AddSnapAgent"/>) and our <c>messages</c>: id allocation, the writer,
    /// withdrawal, result sync with its job, and the staged-image purge step (run by <see cref="PiiPurge"/> at 02:30). Must run before the jobs are set up (it adds job
    /// registrations).
    /// </summary>
    public static IServiceCollection AddSnapMessaging(this IServiceCollection services, IConfiguration configuration)
    {
        var settings = services.AddSnapAgent(configuration);
        services.AddSingleton(PhoneColumn);
        services.AddSingleton<MessageIdAllocator>();
        services.AddSingleton<SnapMessageWriter>();
        services.AddSingleton<SnapMessageCanceller>();
        services.AddSingleton<DeliveryResultSync>();
        services.AddPiiPurgeStep<StagedImagePurge>();
        services.AddPiiPurgeStep<AgentLogScrub>();
        services.AddTransient<DeliveryResultSyncJob>();
        services.AddSingleton<IJobRegistration>(new DeliveryResultSyncJob.Registration(settings));
        return services;
    }
}
