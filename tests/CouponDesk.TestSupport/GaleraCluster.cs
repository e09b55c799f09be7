using System.Diagnostics;
using System.Globalization;
using MySqlConnector;

namespace CouponDesk.TestSupport;

/// <summary>
/// The three-node Galera cluster <c>scripts/test</c> starts with <c>scripts/galera</c> (COUPONDESK_TEST_GALERA_* variables):
/// a server connection string per node, and killing / restarting one node through the same script. When the cluster
/// could not start, <see cref="SkipReason"/> says why (scripts/test prints it too).
/// </summary>
public sealed class GaleraCluster
{
    private GaleraCluster(string name, string server, int[] ports)
    {
        Name = name;
        Server = server;
        Ports = ports;
    }

    /// <summary>The cluster's name for scripts/galera (--name).</summary>
    public string Name { get; }

    public IReadOnlyList<int> Ports { get; }

    private string Server { get; }

    /// <summary>Why Galera tests are skipped here, or null when a cluster is available.</summary>
    public static string? SkipReason =>
        Environment.GetEnvironmentVariable("COUPONDESK_TEST_GALERA_PORTS") is { Length: > 0 } ? null
        : Environment.GetEnvironmentVariable("COUPONDESK_TEST_GALERA_SKIP") is { Length: > 0 } reason ? $"Galera cluster unavailable: {reason}"
        : "no Galera cluster: run through scripts/test, which starts one with scripts/galera";

    /// <summary>The cluster scripts/test started, or null (see <see cref="SkipReason"/>).</summary>
    public static GaleraCluster? FromEnvironment()
    {
        var ports = Environment.GetEnvironmentVariable("COUPONDESK_TEST_GALERA_PORTS");
        if (string.IsNullOrEmpty(ports))
        {
            return null;
        }

        var server = Environment.GetEnvironmentVariable("COUPONDESK_TEST_GALERA_DB") ?? "Server=127.0.0.1;User ID=coupondesk;Password=dev-only-coupondesk";
        return new GaleraCluster(
            Environment.GetEnvironmentVariable("COUPONDESK_TEST_GALERA") ?? "test-galera", server,
            [.. ports.Split(',').Select(p => int.Parse(p, CultureInfo.InvariantCulture))]);
    }

    /// <summary>Server connection string (no database) of node 1…N.</summary>
    public string Node(int node) => new MySqlConnectionStringBuilder(Server) { Port = (uint)Ports[node - 1] }.ConnectionString;

    /// <summary>SIGKILL of one node's mariadbd (scripts/galera kill).</summary>
    public Task KillAsync(int node) => ScriptAsync("kill", node);

    /// <summary>Starts one node again; it rejoins and returns once Synced (scripts/galera start --node).</summary>
    public Task RestartAsync(int node) => ScriptAsync("start", node);

    private async Task ScriptAsync(string command, int node)
    {
        var script = Path.Combine(BackOfficeProcess.RepositoryRoot(), "scripts", "galera");
        var info = new ProcessStartInfo(script, [command, "--name", Name, "--node", node.ToString(CultureInfo.InvariantCulture)])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        using var process = Process.Start(info)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"scripts/galera {command} --node {node} failed ({process.ExitCode}): {await error}{await output}");
        }
    }
}
