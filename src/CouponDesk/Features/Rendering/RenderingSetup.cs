using CouponDesk.Hosting;
using CouponDesk.Shared.Hosting;

namespace CouponDesk.Features.Rendering;

public static class RenderingSetup
{
    /// <summary>The coupon renderer: settings (fonts checked at start-up), the shared fonts, the renderer and the preview endpoint.</summary>
    public static IServiceCollection AddRendering(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddSettings<RenderingOptions>(configuration, RenderingOptions.Section);
        services.AddSingleton(sp =>
        {
            var options = sp.GetRequiredService<RenderingOptions>();
            return CouponFonts.Load(FontDiscovery.Locate(options), out var problem)
                ?? throw new InvalidOperationException($"{RenderingOptions.Section}:{problem}");
        });
        services.AddSingleton<CouponRenderer>();
        services.AddSingleton<RenderHealth>();
        services.AddEndpointModule<PreviewEndpoint>();
        return services;
    }
}
