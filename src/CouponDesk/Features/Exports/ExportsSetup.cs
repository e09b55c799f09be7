using CouponDesk.Hosting;

namespace CouponDesk.Features.Exports;

public static class ExportsSetup
{
    /// <summary>Excel exports of 발송조회 (spec §3.3.4).</summary>
    public static IServiceCollection AddExports(this IServiceCollection services, IConfiguration configuration)
    {
        _ = configuration;
        services.AddSingleton<CampaignDetailWorkbook>();
        services.AddSingleton<CampaignListWorkbook>();
        services.AddEndpointModule<ExportEndpoints>();
        return services;
    }
}
