using CouponDesk.Features.Privacy;
using CouponDesk.Hosting;
using CouponDesk.Security.Pii;

namespace CouponDesk.Features.Reconciliation;

public static class ReconciliationSetup
{
    /// <summary>발급 확인 필요 (spec §3.10), the daily reconciliation report, the 09:00 summary, and the recipients'/messages' purge steps.</summary>
    public static IServiceCollection AddReconciliation(this IServiceCollection services, IConfiguration configuration)
    {
        _ = configuration;
        services.AddSingleton<InDoubtOrderQueries>();
        services.AddSingleton<InDoubtSettlement>();
        services.AddSingleton<DailyReconciliation>();
        services.AddSingleton<CampaignReconciliation>();
        services.AddSingleton<DailySummary>();
        services.AddEndpointModule<InDoubtEndpoints>();
        services.AddSingleton<CouponCancelQueries>();
        services.AddSingleton<CouponCancelActions>();
        services.AddEndpointModule<CouponCancelEndpoints>();
        services.AddSingleton<IJobRegistration>(new DailySummary.Registration());
        services.AddEncryptedColumn("in_doubt_cancels", "coupon_number_enc");
        services.AddPiiPurgeStep<RecipientPiiPurge>();
        services.AddPiiPurgeStep<CouponNumberPurge>();
        services.AddPiiPurgeStep<ExchangePushIndexPurge>();
        services.AddPiiPurgeStep<MessagePiiPurge>();
        services.AddPiiPurgeStep<RequesterContactPurge>();
        services.AddPiiPurgeStep<InDoubtCouponNumberPurge>();
        services.AddPiiPurgeStep<BusinessRecordDeidentification>();
        return services;
    }
}
