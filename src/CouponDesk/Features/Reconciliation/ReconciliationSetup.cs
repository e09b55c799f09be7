using CouponDesk.Features.Privacy;
using CouponDesk.Hosting;
using CouponDesk.Security.Pii;

namespace CouponDesk.Features.Reconciliation;

public static class ReconciliationSetup
{
    /// <summary>The number of a coupon whose order was in doubt: bound to its row, written right after the insert (D-SEC-12).</summary>
    public static readonly EncryptedColumn InDoubtNumberColumn = new EncryptedColumn("in_doubt_cancels", "coupon_number_enc", Bound: true).Validated();

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
        services.AddSingleton(InDoubtNumberColumn);
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
