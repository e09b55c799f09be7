using CouponDesk.Hosting;
using CouponDesk.Security.Pii;
using CouponDesk.Shared.Hosting;

namespace CouponDesk.Features.Coupons;

public static class CouponsSetup
{
    /// <summary>The full coupon number: bound to its row, written right after the row's insert in its transaction (D-SEC-12).</summary>
    public static readonly EncryptedColumn NumberColumn = new EncryptedColumn("coupons", "coupon_number_enc", Bound: true).Validated();

    public static IServiceCollection AddCoupons(this IServiceCollection services, IConfiguration configuration, AppRoles roles)
    {
        services.AddSettings<ExchangePushOptions>(configuration, ExchangePushOptions.Section);
        services.AddSettings<CouponStatusOptions>(configuration, CouponStatusOptions.Section);
        services.AddSingleton(NumberColumn);
        services.AddSingleton<CouponRepository>();
        services.AddEndpointModule<ExchangePushEndpoint>();
        services.AddEndpointModule<CouponReviewEndpoints>();
        services.AddSingleton<CouponStatusReader>();
        services.AddSingleton<CouponStatusFollowUp>();
        services.AddSingleton<CouponStatusSync>();
        services.AddSingleton<CouponExpiry>();
        services.AddSingleton<CouponReviews>();
        services.AddTransient<CouponStatusSyncJob>();
        services.AddTransient<CouponExpiry.Job>();
        // Read here because Quartz registrations are made before the container exists; validated with the rest at start-up.
        var options = configuration.GetSection(CouponStatusOptions.Section).Get<CouponStatusOptions>() ?? new CouponStatusOptions();
        services.AddSingleton<IJobRegistration>(new CouponStatusSyncJob.Registration(options));
        services.AddSingleton<IJobRegistration>(new CouponExpiry.Registration(options));
        if (roles.Worker)
        {
            services.AddHostedService(sp => sp.GetRequiredService<CouponStatusFollowUp>());
        }

        return services;
    }
}
