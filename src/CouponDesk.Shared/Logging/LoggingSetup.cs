using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Serilog;
using Serilog.Formatting.Compact;

namespace CouponDesk.Shared.Logging;

public static class LoggingSetup
{
    /// <summary>
    /// Serilog with JSON lines to stdout, every line passed through <see cref="MaskingTextFormatter"/>.
    /// Levels and overrides come from the <c>Serilog</c> configuration section; sinks registered as services
    /// (<c>ILogEventSink</c>, e.g. a test's recorder) receive the events too. The static <c>Log.Logger</c> is left
    /// alone: each host logs through its own logger, so several hosts in one process (tests) never write into each
    /// other's sinks, and one host's shutdown does not silence the others.
    /// </summary>
    public static WebApplicationBuilder AddMaskedJsonLogging(this WebApplicationBuilder builder, string application)
    {
        builder.Services.AddSerilog((services, logger) => Configure(logger, builder.Configuration, application)
            .ReadFrom.Services(services)
            .WriteTo.Console(new MaskingTextFormatter(new RenderedCompactJsonFormatter())), preserveStaticLogger: true);
        return builder;
    }

    public static LoggerConfiguration Configure(LoggerConfiguration logger, IConfiguration configuration, string application) =>
        logger
            .ReadFrom.Configuration(configuration)
            .Enrich.FromLogContext()
            .Enrich.WithProperty("Application", application);
}
