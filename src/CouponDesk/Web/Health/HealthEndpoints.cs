using CouponDesk.Data;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace CouponDesk.Web.Health;

/// <summary><c>/health/live</c>: the process answers. <c>/health/ready</c>: the database is reachable and migrated, its cluster node (if any) synced, Redis too when configured.</summary>
public static class HealthEndpoints
{
    public static IServiceCollection AddCouponDeskHealth(this IServiceCollection services)
    {
        services.AddHealthChecks()
            .AddCheck<DatabaseHealthCheck>("database", tags: ["ready"])
            .AddCheck<ClusterHealthCheck>("cluster", tags: ["ready"])
            .AddCheck<RedisHealthCheck>("redis", tags: ["ready"]);
        return services;
    }

    public static void MapCouponDeskHealth(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/health").AllowAnonymous().WithTags("Health");
        group.MapHealthChecks("/live", new HealthCheckOptions { Predicate = _ => false, ResponseWriter = HealthResponseWriter.WriteAsync });
        group.MapHealthChecks("/ready", new HealthCheckOptions { Predicate = c => c.Tags.Contains("ready"), ResponseWriter = HealthResponseWriter.WriteAsync });
    }
}

public sealed class DatabaseHealthCheck(DatabaseMigrator migrator) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            var version = await migrator.CurrentVersionAsync(cancellationToken);
            return version == DatabaseMigrator.LatestVersion
                ? HealthCheckResult.Healthy($"schema {version}")
                : HealthCheckResult.Unhealthy($"schema {version?.ToString() ?? "none"}, expected {DatabaseMigrator.LatestVersion}");
        }
        catch (Exception ex) when (ex is MySqlConnector.MySqlException or InvalidOperationException or TimeoutException)
        {
            return HealthCheckResult.Unhealthy("database unreachable", ex);
        }
    }
}
