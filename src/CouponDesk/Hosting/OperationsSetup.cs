using CouponDesk.Data;
using CouponDesk.Web.ApiReference;
using CouponDesk.Web.Metrics;
using CouponDesk.Web.Proxy;

namespace CouponDesk.Hosting;

/// <summary>
/// What running on a server needs beyond the features: client addresses behind the reverse proxy, systemd
/// integration and metrics (issue 19, docs/operations.md). Kept out of <see cref="CouponDeskHost"/> so the host stays a list.
/// </summary>
public static class OperationsSetup
{
    public static WebApplicationBuilder AddCouponDeskOperations(this WebApplicationBuilder builder, AppRoles roles, bool forCommand)
    {
        builder.Services.AddCouponDeskForwardedHeaders(builder.Configuration, builder.Environment);
        builder.Services.AddSingleton<DatabaseOutage>();
        // Type=notify units (deploy/systemd): READY=1 once started, STOPPING=1 on SIGTERM. A no-op outside systemd.
        builder.Services.AddSystemd();
        builder.Services.AddCouponDeskApiReference();
        builder.Services.AddCouponDeskMetrics(builder.Configuration, sampleGauges: roles.Web);
        return builder;
    }
}
