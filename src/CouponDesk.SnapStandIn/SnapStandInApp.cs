using CouponDesk.Shared.Hosting;
using CouponDesk.Shared.Logging;

namespace CouponDesk.SnapStandIn;

/// <summary>
/// The SNAP Agent stand-in: a worker that polls <c>UMS_MSG</c> as LG U+'s agent does (spec/snap-agent.md §15), with a
/// small HTTP surface for health, control and the demo "phone" view. Built as a function so tests can start it in-process.
/// </summary>
public static class SnapStandInApp
{
    public static WebApplication Build(string[] args)
    {
        var builder = WebApplication.CreateBuilder(args);
        builder.AddMaskedJsonLogging("SnapStandIn");
        builder.Services.AddHealthChecks();
        builder.Services.AddSettings<AgentOptions>(builder.Configuration, AgentOptions.Section);
        builder.Services.AddSingleton<AgentState>();
        builder.Services.AddSingleton<AgentTables>();
        builder.Services.AddSingleton<GatewayChecks>();
        builder.Services.AddSingleton<OutcomePolicy>();
        builder.Services.AddHostedService<AgentWorker>();

        var app = builder.Build();
        app.MapHealthChecks("/health/live");
        app.MapHealthChecks("/health/ready");
        app.MapControl();
        app.MapPhone();
        return app;
    }
}
