using System.Diagnostics;
using System.Net.Sockets;
using System.Text;
using CouponDesk.Tests.Alerts;
using CouponDesk.TestSupport;

namespace CouponDesk.Tests.Deployment;

/// <summary>
/// Issue 19: scripts/publish makes the release an operator installs, the systemd units in it pass
/// <c>systemd-analyze verify</c>, the alert hook posts on an unplanned stop only, and the back office tells systemd it is
/// ready (Type=notify through Microsoft.Extensions.Hosting.Systemd).
/// </summary>
public sealed class ReleaseAndSystemdTests : IAsyncLifetime
{
    private readonly string work = Directory.CreateTempSubdirectory("cd-release-").FullName;

    [Fact]
    public async Task The_release_holds_the_back_office_and_its_operating_files_and_its_units_verify()
    {
        // --no-build: scripts/test has just built the solution (Debug); a real release uses the default Release build.
        (await ExternalCommand.RunAsync(RepositoryPaths.Path("scripts", "publish"),
            ["--configuration", "Debug", "--no-build", "--version", "t19.1", "--output", work], timeoutSeconds: 600)).EnsureSuccess("scripts/publish");

        var release = Path.Combine(work, "coupondesk-t19.1");
        Assert.True(File.Exists(Path.Combine(work, "coupondesk-t19.1.tar.gz")));
        Assert.True(File.Exists(Path.Combine(work, "coupondesk-standins-t19.1.tar.gz")));
        foreach (var file in new[] { "CouponDesk.dll", "appsettings.json", "wwwroot/index.html", "VERSION", "docs/operations.md", "scripts/backup", "scripts/restore", "scripts/run-command",
            "deploy/systemd/coupondesk-web.service", "deploy/systemd/coupondesk-worker@.service", "deploy/systemd/coupondesk-alert", "deploy/nginx/coupondesk.conf" })
        {
            Assert.True(File.Exists(Path.Combine(release, file)), "missing in the release: " + file);
        }

        Assert.False(File.Exists(Path.Combine(release, "appsettings.Development.json")), "development settings shipped");
        Assert.True(File.Exists(Path.Combine(release, "runtimes", "linux-x64", "native", "libSkiaSharp.so")), "the Linux image library is missing");
        Assert.Empty(Directory.EnumerateDirectories(Path.Combine(release, "runtimes"), "win-*"));
        Assert.Empty(Directory.EnumerateFiles(release, "CouponDesk.*StandIn.dll", SearchOption.AllDirectories));
        Assert.True(File.Exists(Path.Combine(work, "coupondesk-standins-t19.1", "CouponDesk.SnapStandIn", "CouponDesk.SnapStandIn.dll")));

        await RunCommandRunsAsTheServiceUserWithTheEnvironmentFileAsync(release);

        // The units as installed, pointing at this release instead of /opt/coupondesk/current.
        var units = Path.Combine(work, "units");
        Directory.CreateDirectory(units);
        var dotnet = ExternalCommand.Find("dotnet")!;
        foreach (var unit in Directory.EnumerateFiles(Path.Combine(release, "deploy", "systemd"), "*.service")
                     .Concat(Directory.EnumerateFiles(Path.Combine(release, "deploy", "systemd"), "*.timer")))
        {
            var text = (await File.ReadAllTextAsync(unit)).Replace("/opt/coupondesk/current", release, StringComparison.Ordinal)
                .Replace("/usr/bin/dotnet", dotnet, StringComparison.Ordinal);
            await File.WriteAllTextAsync(Path.Combine(units, Path.GetFileName(unit)), text);
        }

        var web = await File.ReadAllTextAsync(Path.Combine(units, "coupondesk-web.service"));
        foreach (var line in new[] { "Type=notify", "Restart=on-failure", "StartLimitBurst=", "OnFailure=coupondesk-alert@%n.service", "EnvironmentFile=/etc/coupondesk/coupondesk.env",
            "User=coupondesk", "ProtectSystem=strict", "NoNewPrivileges=yes", "PrivateTmp=yes", "ReadWritePaths=/var/lib/coupondesk /var/log/coupondesk" })
        {
            Assert.Contains(line, web);
        }

        var analyze = ExternalCommand.Find("systemd-analyze") ?? throw new InvalidOperationException("systemd-analyze missing (scripts/test installs systemd)");
        var verify = await ExternalCommand.RunAsync(analyze,
            ["verify", "coupondesk-web.service", "coupondesk-worker@1.service", "coupondesk-worker@2.service", "coupondesk-alert@coupondesk-web.service.service",
             "coupondesk-backup.service", "coupondesk-backup.timer", "coupondesk-binlog-backup.service", "coupondesk-binlog-backup.timer"],
            workingDirectory: units);
        Assert.True(verify.ExitCode == 0 && verify.Error.Trim().Length == 0 && verify.Output.Trim().Length == 0,
            $"systemd-analyze verify ({verify.ExitCode}):\n{verify.Output}{verify.Error}");
    }

    [Fact]
    public async Task The_alert_hook_posts_an_unplanned_stop_and_stays_quiet_on_a_clean_one()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        var hook = RepositoryPaths.Path("deploy", "systemd", "coupondesk-alert");

        (await ExternalCommand.RunAsync(hook, ["coupondesk-web.service"], new Dictionary<string, string>
        {
            ["Alerts__WebhookUrl"] = receiver.Url,
            ["SERVICE_RESULT"] = "success",
            ["EXIT_CODE"] = "exited",
            ["EXIT_STATUS"] = "0",
        })).EnsureSuccess("alert hook, clean stop");
        (await ExternalCommand.RunAsync(hook, ["coupondesk-worker@2.service"], new Dictionary<string, string>
        {
            ["Alerts__WebhookUrl"] = receiver.Url,
            ["SERVICE_RESULT"] = "signal",
            ["EXIT_CODE"] = "killed",
            ["EXIT_STATUS"] = "KILL",
        })).EnsureSuccess("alert hook, crash");

        var alert = Assert.Single(receiver.Alerts).GetProperty("text").GetString()!;
        Assert.Contains("coupondesk-worker@2.service", alert);
        Assert.Contains("stopped unexpectedly", alert);
    }

    [Fact]
    public async Task Under_systemd_the_back_office_reports_ready()
    {
        await using var database = new TestDatabase();
        await database.MigrateAsync();
        var socketPath = Path.Combine(work, "notify.sock");
        using var notify = new Socket(AddressFamily.Unix, SocketType.Dgram, ProtocolType.Unspecified);
        notify.Bind(new UnixDomainSocketEndPoint(socketPath));

        // Microsoft.Extensions.Hosting.Systemd believes it runs under systemd when its parent process is called systemd.
        var fakeSystemd = Path.Combine(work, "systemd");
        File.Copy("/bin/sh", fakeSystemd);
        var info = new ProcessStartInfo(fakeSystemd, ["-c", $"{ExternalCommand.Find("dotnet")} {Path.Combine(AppContext.BaseDirectory, "CouponDesk.dll")} --urls http://127.0.0.1:0; true"])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = work,
        };
        foreach (var (key, value) in TestSettings.BackOffice(database, Path.Combine(work, "scratch")))
        {
            info.Environment[key.Replace(":", "__", StringComparison.Ordinal)] = value;
        }

        info.Environment["ASPNETCORE_ENVIRONMENT"] = "Testing";
        info.Environment["NOTIFY_SOCKET"] = socketPath;
        using var process = Process.Start(info)!;
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        try
        {
            var buffer = new byte[512];
            using var giveUp = new CancellationTokenSource(TimeSpan.FromSeconds(120));
            var received = await notify.ReceiveAsync(buffer, SocketFlags.None, giveUp.Token);
            Assert.Contains("READY=1", Encoding.ASCII.GetString(buffer, 0, received));
        }
        finally
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
        }
    }

    /// <summary>
    /// scripts/run-command (docs/operations.md: create-admin, verify-audit, rotate-keys on a server) reads the settings
    /// from the environment file, and refuses a malformed file without echoing the line, which may hold a key.
    /// </summary>
    private async Task RunCommandRunsAsTheServiceUserWithTheEnvironmentFileAsync(string release)
    {
        await using var database = new TestDatabase();
        await database.MigrateAsync();
        var runCommand = Path.Combine(release, "scripts", "run-command");
        var envFile = Path.Combine(work, "coupondesk.env");
        var lines = TestSettings.BackOffice(database, Path.Combine(work, "scratch"))
            .Select(setting => $"{setting.Key.Replace(":", "__", StringComparison.Ordinal)}={setting.Value}")
            .Prepend("# comments and blank lines are allowed").Prepend("")
            .Append("ASPNETCORE_ENVIRONMENT=Testing");
        await File.WriteAllLinesAsync(envFile, lines);

        // root stands in for the service user: the test machine has no coupondesk account.
        var verified = await ExternalCommand.RunAsync(runCommand, ["--env", envFile, "--user", "root", "verify-audit"]);
        Assert.True(verified.ExitCode == 0, $"run-command verify-audit ({verified.ExitCode}):\n{verified.Output}{verified.Error}");
        Assert.Contains("chain intact", verified.Output);

        await File.AppendAllTextAsync(envFile, "Security__Audit__ChainKey = key-with-spaces-never-echoed\n");
        var malformed = await ExternalCommand.RunAsync(runCommand, ["--env", envFile, "--user", "root", "verify-audit"]);
        Assert.Equal(2, malformed.ExitCode);
        Assert.Contains("is not KEY=VALUE", malformed.Error);
        Assert.DoesNotContain("never-echoed", malformed.Output + malformed.Error);

        var missing = await ExternalCommand.RunAsync(runCommand, ["--env", Path.Combine(work, "absent.env"), "verify-audit"]);
        Assert.Equal(2, missing.ExitCode);
        Assert.Contains("not found", missing.Error);
    }

    public Task InitializeAsync() => Task.CompletedTask;

    public Task DisposeAsync()
    {
        Directory.Delete(work, recursive: true);
        return Task.CompletedTask;
    }
}
