using CouponDesk.Hosting;

namespace CouponDesk.Features.CampaignDetail;

public static class CampaignDetailSetup
{
    /// <summary>The recipient table of 발송 상세 (spec §3.3.3).</summary>
    public static IServiceCollection AddCampaignDetail(this IServiceCollection services, IConfiguration configuration)
    {
        _ = configuration;
        services.AddSingleton<RecipientItems>();
        services.AddEndpointModule<RecipientItemEndpoints>();
        services.AddEndpointModule<ExchangeRateEndpoint>();
        return services;
    }
}
