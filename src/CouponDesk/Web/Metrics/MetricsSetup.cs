using CouponDesk.Shared.Hosting;
using CouponDesk.Web.Proxy;
using OpenTelemetry.Metrics;

namespace CouponDesk.Web.Metrics;

/// <summary>The metrics endpoint (section <c>Metrics</c>): Prometheus text at <c>/metrics</c> for the listed addresses only.</summary>
public sealed class MetricsOptions : ISelfValidatingSettings
{
    public const string Section = "Metrics";

    public bool Enabled { get; set; } = true;

    /// <summary>Who may scrape, besides this host (loopback, always): addresses or CIDR ranges, as seen after forwarded headers.</summary>
    public List<string> AllowedSources { get; set; } = ["127.0.0.1", "::1"];

    public IEnumerable<string> Validate() =>
        AllowedSources.Where(s => !AddressRanges.IsValid(s)).Select(s => $"AllowedSources: '{s}' is neither an IP address nor a CIDR range");
}

/// <summary>
/// OpenTelemetry metrics exported for Prometheus (issue 19, spec §8 monitoring): ASP.NET Core, Kestrel, HTTP client and
/// runtime meters of .NET itself, plus <see cref="CouponDeskMetrics"/>. Every role serves <c>/metrics</c> on its own port;
/// others than <see cref="MetricsOptions.AllowedSources"/> get 404, as if it were not there.
/// </summary>
public static class MetricsSetup
{
    // sampleGauges: true where the API is served (role web); the pipeline gauges are sampled there.
    public static IServiceCollection AddCouponDeskMetrics(this IServiceCollection services, IConfiguration configuration, bool sampleGauges)
    {
        services.AddSettings<MetricsOptions>(configuration, MetricsOptions.Section);
        if (configuration.GetSection(MetricsOptions.Section).Get<MetricsOptions>()?.Enabled == false)
        {
            return services;
        }

        services.AddOpenTelemetry().WithMetrics(metrics => metrics
            // "CouponDesk.Pipeline": the adaptive order size's meter (Features/Pipeline/OrderSize/OrderSizeRule.MeterName),
            // named here as text so Web does not depend on a feature folder.
            .AddMeter(CouponDeskMetrics.MeterName, "CouponDesk.Pipeline", "Microsoft.AspNetCore.Hosting", "Microsoft.AspNetCore.Server.Kestrel", "System.Net.Http", "System.Runtime")
            .AddPrometheusExporter());
        if (sampleGauges)
        {
            services.AddSingleton<PipelineGauges>();
            services.AddHostedService(sp => sp.GetRequiredService<PipelineGauges>());
        }

        return services;
    }

    public static void UseCouponDeskMetrics(this WebApplication app)
    {
        // Read without validating: an invalid section is reported at start with every other one, not alone here.
        var options = app.Configuration.GetSection(MetricsOptions.Section).Get<MetricsOptions>() ?? new();
        if (!options.Enabled)
        {
            return;
        }

        if (app.Services.GetService<PipelineGauges>() is { } gauges)
        {
            CouponDeskMetrics.ObserveGauges(gauges);
        }

        var allowed = options.AllowedSources.Where(AddressRanges.IsValid).Select(AddressRanges.Parse).ToList();
        app.UseOpenTelemetryPrometheusScrapingEndpoint(context =>
            context.Request.Path == "/metrics" && AddressRanges.Contains(allowed, context.Connection.RemoteIpAddress));
    }
}
