using CouponDesk.Hosting;
using CouponDesk.Shared.Hosting;

namespace CouponDesk.Features.CampaignDetail;

public static class CampaignDetailSetup
{
    /// <summary>The recipient table of 발송 상세 (spec §3.3.3) and the campaign's 교환률.</summary>
    public static IServiceCollection AddCampaignDetail(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddSettings<ExchangeRateOptions>(configuration, ExchangeRateOptions.Section);
        services.AddSingleton<ExchangeRateCache>();
        services.AddSingleton<RecipientItems>();
        services.AddEndpointModule<RecipientItemEndpoints>();
        services.AddEndpointModule<ExchangeRateEndpoint>();
        return services;
    }
}
