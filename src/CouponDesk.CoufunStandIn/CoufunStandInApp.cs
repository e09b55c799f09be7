using CouponDesk.CoufunStandIn.Api;
using CouponDesk.CoufunStandIn.Catalog;
using CouponDesk.CoufunStandIn.Control;
using CouponDesk.CoufunStandIn.Ledger;
using CouponDesk.CoufunStandIn.Push;
using CouponDesk.Shared.Hosting;
using CouponDesk.Shared.Logging;
using CouponDesk.Shared.Text;

namespace CouponDesk.CoufunStandIn;

/// <summary>
/// The COUFUN stand-in: a real HTTP server that behaves, at the wire, as the COUFUN B2C manual says
/// (spec/coufun-b2c-api.md §10). Built as a function so tests can start it in-process on a loopback port.
/// </summary>
public static class CoufunStandInApp
{
    public static WebApplication Build(string[] args)
    {
        _ = KoreanEncoding.Cp949;
        var builder = WebApplication.CreateBuilder(args);
        builder.AddMaskedJsonLogging("CoufunStandIn");
        var services = builder.Services;
        services.AddSettings<StandInOptions>(builder.Configuration, StandInOptions.Section);
        services.AddSingleton(TimeProvider.System);
        services.AddSingleton<StandInDb>();
        services.AddSingleton<StandInSchema>();
        services.AddHostedService<SchemaOnStart>();
        services.AddSingleton<StandInLedger>();
        services.AddSingleton<CallLog>();
        services.AddSingleton<StandInCatalog>();
        services.AddSingleton<ProductImages>();
        services.AddSingleton<FaultInjector>();
        services.AddSingleton<CallerChecks>();
        services.AddSingleton<ProductHandler>();
        services.AddSingleton<CreateHandler>();
        services.AddSingleton<StatusHandler>();
        services.AddSingleton<CancelHandler>();
        services.AddSingleton<CouponEvents>();
        services.AddHttpClient(PushDelivery.HttpClientName);
        services.AddSingleton<PushDelivery>();
        services.AddHostedService(sp => sp.GetRequiredService<PushDelivery>());
        services.AddSingleton<UsageSimulator>();
        services.AddHostedService(sp => sp.GetRequiredService<UsageSimulator>());
        services.AddHealthChecks();

        var app = builder.Build();
        app.MapHealthChecks("/health/live");
        app.MapHealthChecks("/health/ready");
        B2cEndpoints.Map(app, app.Services.GetRequiredService<StandInOptions>());
        ControlEndpoints.Map(app);
        app.MapGet("/img/{file}", (string file, StandInCatalog catalog, ProductImages images) =>
        {
            // {GOODS_ID}_{s|m|b}.jpg
            var underscore = file.LastIndexOf('_');
            if (underscore < 1 || !file.EndsWith(".jpg", StringComparison.Ordinal) || file.Length != underscore + 6
                || catalog.Find(file[..underscore]) is not { } product || !ProductImages.Sizes.ContainsKey(file[underscore + 1]))
            {
                return Results.NotFound();
            }

            return Results.File(images.Jpeg(product, file[underscore + 1]), "image/jpeg");
        });
        return app;
    }
}
