using CouponDesk.Data.Redis;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace CouponDesk.Web.Health;

/// <summary>Healthy when Redis is not configured (it is optional); when configured, it must answer a PING.</summary>
public sealed class RedisHealthCheck(RedisConnection redis) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        if (!redis.IsConfigured)
        {
            return HealthCheckResult.Healthy("not configured");
        }

        var database = await redis.TryGetDatabase(cancellationToken);
        if (database is null)
        {
            return HealthCheckResult.Unhealthy("unreachable");
        }

        try
        {
            var latency = await database.PingAsync();
            return HealthCheckResult.Healthy($"ping {latency.TotalMilliseconds:0.0} ms");
        }
        catch (StackExchange.Redis.RedisException)
        {
            return HealthCheckResult.Unhealthy("unreachable");
        }
    }
}
