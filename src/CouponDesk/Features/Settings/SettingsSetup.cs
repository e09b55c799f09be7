using CouponDesk.Hosting;
using CouponDesk.Shared.Hosting;

namespace CouponDesk.Features.Settings;

public static class SettingsSetup
{
    /// <summary>
    /// 설정 (spec §3.11): database values over the configuration file, in force in every process within
    /// <see cref="SettingsOptions.PollSeconds"/>. Register right after the migrations so the first load precedes every worker.
    /// </summary>
    public static IServiceCollection AddLiveSettings(this IServiceCollection services, IConfiguration configuration, bool hosted)
    {
        services.AddSettings<SettingsOptions>(configuration, SettingsOptions.Section);
        services.AddSingleton<SettingsStore>();
        services.AddSingleton<SettingsBinder>();
        services.AddSingleton<LiveSettings>();
        services.AddSingleton<SettingsView>();
        services.AddEndpointModule<SettingsEndpoints>();
        if (hosted)
        {
            services.AddHostedService<LiveSettingsPoller>();
        }

        return services;
    }
}
