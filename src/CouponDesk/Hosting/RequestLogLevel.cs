using Serilog.Events;

namespace CouponDesk.Hosting;

/// <summary>Request log levels: health probes at Verbose (they arrive every few seconds), 5xx as errors.</summary>
public static class RequestLogLevel
{
    public static LogEventLevel For(HttpContext context, double elapsedMs, Exception? exception)
    {
        if (exception is not null || context.Response.StatusCode >= 500)
        {
            return LogEventLevel.Error;
        }

        return context.Request.Path.StartsWithSegments("/health") ? LogEventLevel.Verbose : LogEventLevel.Information;
    }
}
