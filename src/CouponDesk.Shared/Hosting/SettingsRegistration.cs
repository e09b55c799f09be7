using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace CouponDesk.Shared.Hosting;

public static class SettingsRegistration
{
    /// <summary>Binds a section, validates it at start-up (naming the failing key) and registers the value too.</summary>
    public static IServiceCollection AddSettings<TOptions>(this IServiceCollection services, IConfiguration configuration, string section)
        where TOptions : class
    {
        services.AddOptions<TOptions>().Bind(configuration.GetSection(section)).ValidateOnStart();
        services.AddSingleton<IValidateOptions<TOptions>>(sp =>
            new SettingsValidator<TOptions>(section, sp.GetRequiredService<IHostEnvironment>()));
        services.AddSingleton(sp => sp.GetRequiredService<IOptions<TOptions>>().Value);
        return services;
    }
}
