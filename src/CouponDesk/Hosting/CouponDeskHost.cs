using CouponDesk.Commands;
using CouponDesk.Data;
using CouponDesk.Data.Leases;
using CouponDesk.Data.Redis;
using CouponDesk.Features.Alerts;
using CouponDesk.Features.Approvals;
using CouponDesk.Features.Auth;
using CouponDesk.Features.CampaignDetail;
using CouponDesk.Features.Campaigns;
using CouponDesk.Features.Coupons;
using CouponDesk.Features.CustomerService;
using CouponDesk.Features.Dashboard;
using CouponDesk.Features.Exports;
using CouponDesk.Features.Messages;
using CouponDesk.Features.Pipeline;
using CouponDesk.Features.Pipeline.Resends;
using CouponDesk.Features.Products;
using CouponDesk.Features.Recipients;
using CouponDesk.Features.Reconciliation;
using CouponDesk.Features.Rendering;
using CouponDesk.Features.Settings;
using CouponDesk.Features.Users;
using CouponDesk.Hosting.Liveness;
using CouponDesk.Integrations.Coufun;
using CouponDesk.Security.Pii;
using CouponDesk.Shared.Hosting;
using CouponDesk.Shared.Logging;
using CouponDesk.Web.ApiReference;
using CouponDesk.Web.Correlation;
using CouponDesk.Web.Errors;
using CouponDesk.Web.Frontend;
using CouponDesk.Web.Health;
using CouponDesk.Web.Idempotency;
using CouponDesk.Web.Metrics;
using CouponDesk.Web.Proxy;
using Serilog;

namespace CouponDesk.Hosting;

/// <summary>Builds the one CouponDesk executable: services, middleware and endpoints, according to its roles.</summary>
public static class CouponDeskHost
{
    public static async Task<int> RunAsync(string[] args)
    {
        var isCommand = CommandLine.IsCommand(args);
        var app = Build(args, isCommand);
        if (isCommand)
        {
            return await CommandLine.RunAsync(args, app.Services);
        }

        await app.RunAsync();
        return 0;
    }

    public static WebApplication Build(string[] args, bool forCommand = false)
    {
        var builder = WebApplication.CreateBuilder(args);
        builder.AddMaskedJsonLogging("CouponDesk");
        var roles = AppRoles.Parse(builder.Configuration["CouponDesk:Roles"]);
        ConfigureServices(builder.Services, builder.Configuration, roles, forCommand);
        if (ShiftedClock.FromTestingSettings(builder.Environment, builder.Configuration) is { } shifted)
        {
            builder.Services.AddSingleton<TimeProvider>(shifted);
        }

        builder.AddCouponDeskOperations(roles, forCommand);

        var app = builder.Build();
        ConfigurePipeline(app, roles);
        return app;
    }

    private static void ConfigureServices(IServiceCollection services, IConfiguration configuration, AppRoles roles, bool forCommand)
    {
        services.AddSingleton(roles);
        services.AddSingleton(TimeProvider.System);
        services.AddSettings<DatabaseOptions>(configuration, DatabaseOptions.Section);
        services.AddSettings<RedisOptions>(configuration, RedisOptions.Section);
        services.AddSettings<PasswordHashingOptions>(configuration, PasswordHashingOptions.Section);
        services.AddSettings<PiiOptions>(configuration, PiiOptions.Section);
        services.AddSingleton<PiiProtector>();
        services.AddSingleton<PiiReader>();
        services.AddSingleton<DbConnectionFactory>();
        services.AddSingleton<DatabaseMigrator>();
        services.AddSingleton<NamedLeases>();
        services.AddSingleton<RedisConnection>();
        services.AddSingleton<AdminBootstrap>();

        if (!forCommand)
        {
            // Registered first: hosted services start in order, so the schema is current before any worker or job runs.
            services.AddHostedService<MigrateOnStartService>();
        }

        // Next: the heartbeat row exists before any worker loop claims work (D-OPS-11).
        services.AddProcessLiveness(configuration, hosted: !forCommand);

        // Then the settings of 설정 (database over file), before any worker or job reads them.
        services.AddLiveSettings(configuration, hosted: !forCommand);
        services.AddApprovals(configuration);

        services.AddCouponDeskProblemDetails();
        services.AddSingleton<IdempotencyStore>();
        services.AddCouponDeskHealth();
        services.AddCouponDeskAuthorization();
        services.AddOperationsAlerts(configuration);
        services.AddAccountsAndAudit(configuration);
        services.AddRendering(configuration);
        services.AddOpenApi();
        services.AddSnapMessaging(configuration);
        services.AddCoufun(configuration);
        services.AddCoupons(configuration, roles);
        services.AddProducts(configuration);
        services.AddRecipients(configuration);
        services.AddCampaigns(configuration);
        services.AddCampaignDetail(configuration);
        services.AddExports(configuration);
        services.AddWebFrontend(configuration);
        services.AddPipeline(configuration, roles);
        services.AddReconciliation(configuration);
        services.AddDashboard(configuration);
        services.AddPipelineAfterSend(configuration, roles);
        services.AddCustomerService(configuration, roles);
        if (roles.Jobs && !forCommand)
        {
            services.AddCouponDeskJobs(configuration);
        }
    }

    private static void ConfigurePipeline(WebApplication app, AppRoles roles)
    {
        app.UseCouponDeskForwardedHeaders();
        app.UseMiddleware<CorrelationIdMiddleware>();
        app.UseCouponDeskMetrics();
        app.UseSerilogRequestLogging(options =>
        {
            options.GetLevel = RequestLogLevel.For;
            // This host's own logger: the static Log.Logger is not set (LoggingSetup preserves it).
            options.Logger = app.Services.GetRequiredService<Serilog.ILogger>();
        });
        app.UseCouponDeskProblemDetails();
        app.UseWebFrontendHeaders();
        if (roles.Web)
        {
            app.UseWebFrontendPages();
        }

        app.UseAuthentication();
        app.UseAuthorization();
        app.UseMiddleware<IdempotencyMiddleware>();
        app.MapCouponDeskHealth();
        if (roles.Web)
        {
            app.MapCouponDeskApiReference();
            foreach (var module in app.Services.GetServices<IEndpointModule>())
            {
                module.Map(app);
            }
        }
    }
}
