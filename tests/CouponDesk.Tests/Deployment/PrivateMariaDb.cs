using CouponDesk.TestSupport;

namespace CouponDesk.Tests.Deployment;

/// <summary>
/// A MariaDB instance of a test's own, started by the repository's <c>scripts/mariadb</c> under a temporary directory
/// (the test run's shared server has no binary log, and a restore must go into a fresh instance).
/// </summary>
public sealed class PrivateMariaDb : IAsyncDisposable
{
    private PrivateMariaDb(string localDir, string name, int port)
    {
        LocalDir = localDir;
        Name = name;
        Port = port;
    }

    public string LocalDir { get; }

    public string Name { get; }

    public int Port { get; }

    public string Socket => Path.Combine(LocalDir, Name, "mysqld.sock");

    /// <summary>The <c>coupondesk</c> account scripts/mariadb creates, over TCP.</summary>
    public string ServerConnectionString => $"Server=127.0.0.1;Port={Port};User ID=coupondesk;Password=dev-only-coupondesk";

    /// <summary>A client option file for the scripts: root through the socket.</summary>
    public string WriteClientOptions(string path)
    {
        File.WriteAllText(path, $"[client]\nuser=root\nsocket={Socket}\n");
        return path;
    }

    public static async Task<PrivateMariaDb> StartAsync(string localDir, string name, string extraArgs = "")
    {
        var port = FreePorts.Next();
        var environment = new Dictionary<string, string> { ["COUPONDESK_LOCAL_DIR"] = localDir, ["COUPONDESK_DB_EXTRA_ARGS"] = extraArgs };
        (await ExternalCommand.RunAsync(RepositoryPaths.Path("scripts", "mariadb"), ["start", "--name", name, "--port", port.ToString(System.Globalization.CultureInfo.InvariantCulture)], environment))
            .EnsureSuccess("scripts/mariadb start " + name);
        return new PrivateMariaDb(localDir, name, port);
    }

    public async ValueTask DisposeAsync() =>
        await ExternalCommand.RunAsync(RepositoryPaths.Path("scripts", "mariadb"), ["stop", "--name", Name], new Dictionary<string, string> { ["COUPONDESK_LOCAL_DIR"] = LocalDir });

}
