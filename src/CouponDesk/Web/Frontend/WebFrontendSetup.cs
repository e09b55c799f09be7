using CouponDesk.Shared.Hosting;
using CouponDesk.Web.Correlation;

namespace CouponDesk.Web.Frontend;

/// <summary>
/// The operator pages: static files from <c>wwwroot</c> (no build step), the CORS allowlist for pages served from
/// elsewhere, and the security headers every answer carries. Only a process with the <c>web</c> role serves pages.
/// </summary>
public static class WebFrontendSetup
{
    /// <summary>Set on every authenticated answer by the bearer check (Features/Auth); the pages' idle countdown reads it.</summary>
    public const string SessionIdleExpiresHeader = "X-Session-Idle-Expires-At";

    /// <summary>
    /// <c>X-Background-Request: 1</c> marks a call the page makes on a timer (the 승인 요청 badge): the session is checked
    /// as on every call but not touched, so a poll never keeps an idle session alive (spec §2.5, D-APR-7).
    /// </summary>
    public const string BackgroundRequestHeader = "X-Background-Request";

    private const string CorsPolicy = "coupondesk-web";

    public static IServiceCollection AddWebFrontend(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddSettings<WebFrontendOptions>(configuration, WebFrontendOptions.Section);
        var origins = configuration.GetSection(WebFrontendOptions.Section).Get<WebFrontendOptions>()?.CorsOrigins ?? [];
        services.AddCors(options => options.AddPolicy(CorsPolicy, policy => policy
            .WithOrigins(origins)
            .WithMethods("GET", "POST", "PUT", "PATCH", "DELETE")
            .WithHeaders("Authorization", "Content-Type", "Idempotency-Key", "X-Correlation-Id", BackgroundRequestHeader)
            // The page reads these: the idle deadline for the warning dialog, the id to quote to support, file names.
            .WithExposedHeaders(SessionIdleExpiresHeader, CorrelationIdMiddleware.HeaderName, "Content-Disposition")
            .SetPreflightMaxAge(TimeSpan.FromMinutes(10))));
        return services;
    }

    /// <summary>Security headers and CORS for every answer; call before authentication.</summary>
    public static void UseWebFrontendHeaders(this WebApplication app)
    {
        app.UseMiddleware<SecurityHeadersMiddleware>();
        app.UseCors(CorsPolicy);
    }

    /// <summary>The pages themselves (<c>/</c> is the dashboard); public files, all data comes through the API's policies.</summary>
    public static void UseWebFrontendPages(this WebApplication app)
    {
        app.UseDefaultFiles();
        app.UseStaticFiles(new StaticFileOptions
        {
            OnPrepareResponse = context =>
            {
                // Pages and scripts change with each release and carry no version in their names: revalidate.
                context.Context.Response.Headers.CacheControl = "no-cache";
            },
        });
        app.UseMiddleware<NotFoundPageMiddleware>();
    }
}
