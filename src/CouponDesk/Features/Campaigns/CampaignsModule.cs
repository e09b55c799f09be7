using CouponDesk.Features.Audit;
using CouponDesk.Features.Campaigns.Banners;
using CouponDesk.Features.Campaigns.Products;
using CouponDesk.Features.Campaigns.Scheduling;
using CouponDesk.Features.Campaigns.SenderNumbers;
using CouponDesk.Hosting;
using CouponDesk.Shared.Hosting;

namespace CouponDesk.Features.Campaigns;

public static class CampaignsModule
{
    public static IServiceCollection AddCampaigns(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddSettings<CampaignOptions>(configuration, CampaignOptions.Section);
        services.AddSingleton<StartLeadCalculator>();
        services.AddSingleton<SendTimeRules>();
        services.AddSingleton<CampaignValidator>();
        services.AddSingleton<CampaignStore>();
        services.AddSingleton<CampaignTransitions>();
        services.AddSingleton<BannerImageProcessor>();
        // MERGE NOTE: placeholders until issues 3, 4 and 5 land (see the interfaces' comments).
        services.AddSingleton<ICampaignAudit, TrailCampaignAudit>();
        services.AddSingleton<CampaignCouponSpec>();
        services.AddSingleton<IProductCatalog, TableProductCatalog>();
        services.AddSingleton<ISenderNumbers, TableSenderNumbers>();
        services.AddSingleton<CampaignEndpoints.Deps>();
        services.AddEndpointModule<CampaignEndpoints>();
        services.AddEndpointModule<CampaignListEndpoints>();
        services.AddEndpointModule<SendTimeEndpoints>();
        services.AddEndpointModule<SenderNumberEndpoints>();
        return services;
    }
}
