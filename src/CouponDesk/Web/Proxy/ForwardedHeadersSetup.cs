using CouponDesk.Shared.Hosting;
using Microsoft.AspNetCore.HttpOverrides;
using Microsoft.Extensions.Options;

namespace CouponDesk.Web.Proxy;

/// <summary>
/// Client addresses behind Nginx: <c>UseForwardedHeaders</c> trusting the configured proxies only (the framework's
/// loopback defaults are cleared), one hop (Nginx overwrites <c>X-Forwarded-For</c> with the peer it saw), so the
/// audit trail, the login throttle and the COUFUN push allowlist see the browser's or COUFUN's address.
/// </summary>
public static class ForwardedHeadersSetup
{
    public static IServiceCollection AddCouponDeskForwardedHeaders(this IServiceCollection services, IConfiguration configuration, IHostEnvironment environment)
    {
        services.AddSettings<ProxySettings>(configuration, ProxySettings.Section);
        services.PostConfigure<ProxySettings>(s => s.EnabledByDefault = environment.IsProduction());
        services.AddOptions<ForwardedHeadersOptions>().Configure<IOptions<ProxySettings>>((options, proxy) =>
        {
            options.ForwardedHeaders = ForwardedHeaders.XForwardedFor | ForwardedHeaders.XForwardedProto;
            options.ForwardLimit = 1;
            options.KnownProxies.Clear();
            options.KnownIPNetworks.Clear();
            foreach (var range in proxy.Value.KnownProxies)
            {
                options.KnownIPNetworks.Add(AddressRanges.Parse(range));
            }
        });
        services.AddSingleton<UntrustedForwardingWarning>();
        return services;
    }

    /// <summary>First in the pipeline: every later component (logs, audit, throttles, allowlists) sees the client's address.</summary>
    public static WebApplication UseCouponDeskForwardedHeaders(this WebApplication app)
    {
        // Read without validating: an invalid section is reported at start with every other one, not alone here.
        var proxy = app.Configuration.GetSection(ProxySettings.Section).Get<ProxySettings>() ?? new();
        if (proxy.Enabled ?? app.Environment.IsProduction())
        {
            app.UseForwardedHeaders();
        }

        app.UseMiddleware<UntrustedForwardingWarning>();
        return app;
    }
}
