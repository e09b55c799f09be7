using System.Globalization;
using CouponDesk.Data;
using Dapper;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace CouponDesk.Web.Health;

/// <summary>
/// The database node this process talks to. On a Galera cluster the process is ready only while its node is Synced and
/// accepts queries (a joining, donor or cut-off node refuses or lags; a proxy or load balancer should then send the work
/// elsewhere). On a single server it is always healthy. The description also carries the process's conflict counters
/// (<see cref="DatabaseMetrics"/>), so an operator — and the cluster test — can read them without a metrics exporter.
/// </summary>
public sealed class ClusterHealthCheck(DbConnectionFactory connections) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var conflicts = string.Create(CultureInfo.InvariantCulture,
            $"{DatabaseMetrics.ConflictsRetried} conflicts retried, {DatabaseMetrics.ConflictsGivenUp} given up");
        try
        {
            await using var c = await connections.OpenAsync(cancellationToken);
            var status = (await c.QueryAsync<(string Name, string Value)>(new CommandDefinition(
                "SHOW GLOBAL STATUS WHERE Variable_name IN ('wsrep_ready', 'wsrep_local_state_comment', 'wsrep_cluster_size', 'wsrep_cluster_status')",
                cancellationToken: cancellationToken))).ToDictionary(r => r.Name, r => r.Value, StringComparer.OrdinalIgnoreCase);
            if (!status.TryGetValue("wsrep_cluster_size", out var size) || size == "0")
            {
                return HealthCheckResult.Healthy($"single server; {conflicts}");
            }

            var node = await c.ExecuteScalarAsync<string?>(new CommandDefinition("SELECT @@wsrep_node_name", cancellationToken: cancellationToken));
            var state = status.GetValueOrDefault("wsrep_local_state_comment", "?");
            var description = $"node {node} {state}, cluster size {size} ({status.GetValueOrDefault("wsrep_cluster_status", "?")}); {conflicts}";
            return status.GetValueOrDefault("wsrep_ready") == "ON" && state == "Synced"
                ? HealthCheckResult.Healthy(description)
                : HealthCheckResult.Unhealthy(description);
        }
        catch (Exception ex) when (ex is MySqlConnector.MySqlException or InvalidOperationException or TimeoutException)
        {
            return HealthCheckResult.Unhealthy($"database unreachable; {conflicts}", ex);
        }
    }
}
