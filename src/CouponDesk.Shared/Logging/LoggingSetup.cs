using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Serilog;
using Serilog.Formatting.Compact;

namespace CouponDesk.Shared.Logging;

public static class LoggingSetup
{
    /// <summary>
    /// Serilog with JSON lines to stdout, every line passed through <see cref="MaskingTextFormatter"/>.
    /// Levels and overrides come from the <c>Serilog</c> configuration section.
    /// </summary>
    public static WebApplicationBuilder AddMaskedJsonLogging(this WebApplicationBuilder builder, string application)
    {
        builder.Services.AddSerilog((services, logger) => Configure(logger, builder.Configuration, application)
            .WriteTo.Console(new MaskingTextFormatter(new RenderedCompactJsonFormatter())));
        return builder;
    }

    public static LoggerConfiguration Configure(LoggerConfiguration logger, IConfiguration configuration, string application) =>
        logger
            .ReadFrom.Configuration(configuration)
            .Enrich.FromLogContext()
            .Enrich.WithProperty("Application", application);
}
