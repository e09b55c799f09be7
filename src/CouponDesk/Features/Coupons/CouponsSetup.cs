using CouponDesk.Hosting;
using CouponDesk.Shared.Hosting;

namespace CouponDesk.Features.Coupons;

public static class CouponsSetup
{
    public static IServiceCollection AddCoupons(this IServiceCollection services, IConfiguration configuration, AppRoles roles)
    {
        services.AddSettings<ExchangePushOptions>(configuration, ExchangePushOptions.Section);
        services.AddSingleton<CouponRepository>();
        services.AddEndpointModule<ExchangePushEndpoint>();
        services.AddSingleton<CouponStatusFollowUp>();
        if (roles.Worker)
        {
            services.AddHostedService(sp => sp.GetRequiredService<CouponStatusFollowUp>());
        }

        return services;
    }
}
