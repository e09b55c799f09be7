using CouponDesk.Shared.Logging;

namespace CouponDesk.CoufunStandIn;

/// <summary>
/// The COUFUN stand-in: a real HTTP server that behaves, at the wire, as the COUFUN B2C manual says
/// (spec/coufun-b2c-api.md §10). Built as a function so tests can start it in-process on a loopback port.
/// </summary>
public static class CoufunStandInApp
{
    public static WebApplication Build(string[] args)
    {
        var builder = WebApplication.CreateBuilder(args);
        builder.AddMaskedJsonLogging("CoufunStandIn");
        builder.Services.AddHealthChecks();

        var app = builder.Build();
        app.MapHealthChecks("/health/live");
        app.MapHealthChecks("/health/ready");
        return app;
    }
}
