using CouponDesk.Features.Privacy;
using CouponDesk.Hosting;
using CouponDesk.Shared.Hosting;

namespace CouponDesk.Features.Recipients;

public static class RecipientsModule
{
    public static IServiceCollection AddRecipients(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddSettings<RecipientOptions>(configuration, RecipientOptions.Section);
        services.AddSingleton<RecipientListStore>();
        services.AddSingleton<RecipientUploadReader>();
        services.AddEndpointModule<RecipientEndpoints>();
        services.AddPiiPurgeStep<UploadErrorPurge>();
        return services;
    }
}
