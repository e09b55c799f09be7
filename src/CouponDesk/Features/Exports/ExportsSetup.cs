using CouponDesk.Hosting;
using CouponDesk.Shared.Hosting;

namespace CouponDesk.Features.Exports;

public static class ExportsSetup
{
    /// <summary>Excel exports of 발송조회 with 다운로드 내역 (spec §3.3.4, §4.8).</summary>
    public static IServiceCollection AddExports(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddSettings<ExportOptions>(configuration, ExportOptions.Section);
        services.AddSingleton<CampaignDetailWorkbook>();
        services.AddSingleton<CampaignListWorkbook>();
        services.AddSingleton<ExportStore>();
        services.AddSingleton<ExportGenerator>();
        services.AddSingleton<ExportRequests>();
        services.AddSingleton<ExportCleanup>();
        services.AddEndpointModule<ExportEndpoints>();
        services.AddTransient<ExportGenerationJob>();
        services.AddTransient<ExportCleanupJob>();
        // Job registrations are instances (JobsSetup reads them before the container exists): bound here once.
        var settings = configuration.GetSection(ExportOptions.Section).Get<ExportOptions>() ?? new ExportOptions();
        services.AddSingleton<IJobRegistration>(new ExportGenerationJob.Registration(settings));
        services.AddSingleton<IJobRegistration>(new ExportCleanupJob.Registration());
        return services;
    }
}
