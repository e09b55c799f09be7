using CouponDesk.Features.Audit;
using CouponDesk.Features.Campaigns.Banners;
using CouponDesk.Features.Campaigns.Products;
using CouponDesk.Features.Campaigns.Scheduling;
using CouponDesk.Features.Campaigns.SenderNumbers;
using CouponDesk.Hosting;
using CouponDesk.Security.Pii;
using CouponDesk.Shared.Hosting;

namespace CouponDesk.Features.Campaigns;

public static class CampaignsModule
{
    /// <summary>The client's requester (name, phone, e-mail): bound to the campaign's row, written right after its insert (D-SEC-12).</summary>
    public static readonly EncryptedColumn RequesterColumn = new EncryptedColumn("campaigns", "client_requester_enc", Bound: true).Validated();

    public static readonly EncryptedColumn RequesterPhoneColumn = new EncryptedColumn("campaigns", "requester_phone_enc", Bound: true).Validated();

    public static readonly EncryptedColumn RequesterEmailColumn = new EncryptedColumn("campaigns", "requester_email_enc", Bound: true).Validated();

    public static IServiceCollection AddCampaigns(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddSettings<CampaignOptions>(configuration, CampaignOptions.Section);
        services.AddSingleton<StartLeadCalculator>();
        services.AddSingleton<SendTimeRules>();
        services.AddSingleton<CampaignValidator>();
        services.AddSingleton(RequesterColumn);
        services.AddSingleton(RequesterPhoneColumn);
        services.AddSingleton(RequesterEmailColumn);
        services.AddSingleton<CampaignStore>();
        services.AddSingleton<CampaignTransitions>();
        services.AddSingleton<BannerImageProcessor>();
        // What registration needs from audit, the catalog and the SNAP side's sender numbers, behind small interfaces.
        services.AddSingleton<ICampaignAudit, TrailCampaignAudit>();
        services.AddSingleton<CampaignCouponSpec>();
        services.AddSingleton<IProductCatalog, TableProductCatalog>();
        services.AddSingleton<ISenderNumbers, TableSenderNumbers>();
        services.AddEndpointModule<DraftEndpoints>();
        services.AddEndpointModule<SubmitEndpoints>();
        services.AddEndpointModule<BannerEndpoints>();
        services.AddEndpointModule<PreviewEndpoints>();
        services.AddEndpointModule<CampaignListEndpoints>();
        services.AddEndpointModule<SendTimeEndpoints>();
        services.AddEndpointModule<SenderNumberEndpoints>();
        return services;
    }
}
