using System.Diagnostics;
using System.Globalization;
using CouponDesk.TestSupport;

namespace CouponDesk.Tests.Pipeline;

/// <summary>
/// Real worker processes for the kill and pause tests: the back office as built by <c>scripts/test</c> (CouponDesk.dll,
/// roles=worker) against the harness's database and stand-ins. <see cref="Pause"/> and <see cref="Resume"/> send
/// SIGSTOP/SIGCONT; <see cref="Process.Kill()"/> is SIGKILL on Linux.
/// </summary>
public static class WorkerProcesses
{
    /// <summary>The harness's settings as environment variables, for a worker; <paramref name="extra"/> wins.</summary>
    public static Dictionary<string, string> Environment(PipelineHarness h, params (string Key, string Value)[] extra)
    {
        var settings = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (key, value) in TestSettings.BackOffice(h.Database, h.Scratch).Concat(PipelineHarness.PipelineSettings(h.Coufun.BaseUrl)))
        {
            settings[Variable(key)] = value ?? "";
        }

        settings["CouponDesk__Roles"] = "worker";
        settings["Serilog__MinimumLevel__Default"] = System.Environment.GetEnvironmentVariable("COUPONDESK_TEST_WORKER_LOG_LEVEL") is { Length: > 0 } level ? level : "Error";
        settings["DOTNET_ENVIRONMENT"] = "Testing";
        settings["ASPNETCORE_ENVIRONMENT"] = "Testing";
        settings["ASPNETCORE_URLS"] = "http://127.0.0.1:0";
        foreach (var (key, value) in extra)
        {
            settings[Variable(key)] = value;
        }

        return settings;
    }

    public static Process Start(Dictionary<string, string> environment, params (string Key, string Value)[] extra) => Start(environment, null, extra);

    /// <summary>As <see cref="Start(Dictionary{string, string}, ValueTuple{string, string}[])"/>, handing every line the worker writes to <paramref name="onLine"/>.</summary>
    public static Process Start(Dictionary<string, string> environment, Action<string>? onLine, params (string Key, string Value)[] extra)
    {
        var dll = BackOfficeDll();
        var info = new ProcessStartInfo("dotnet", [dll])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = Path.GetDirectoryName(dll)!,
        };
        foreach (var (key, value) in environment)
        {
            info.Environment[key] = value;
        }

        foreach (var (key, value) in extra)
        {
            info.Environment[Variable(key)] = value;
        }

        var process = Process.Start(info)!;
        // COUPONDESK_TEST_WORKER_LOG=path keeps the workers' log lines (errors only by default) for a failure's analysis.
        var path = System.Environment.GetEnvironmentVariable("COUPONDESK_TEST_WORKER_LOG");
        var log = string.IsNullOrEmpty(path) ? null : TextWriter.Synchronized(new StreamWriter(path, append: true) { AutoFlush = true });
        var pid = process.Id;
        process.OutputDataReceived += (_, e) => Line(e.Data);
        process.ErrorDataReceived += (_, e) => Line(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return process;

        void Line(string? line)
        {
            log?.WriteLine($"{pid}: {line}");
            if (line is not null)
            {
                onLine?.Invoke(line);
            }
        }
    }

    /// <summary>SIGSTOP: every thread of the process halts (heartbeat included) until <see cref="Resume"/>.</summary>
    public static Task Pause(Process process) => SignalAsync(process, "-STOP");

    /// <summary>SIGCONT.</summary>
    public static Task Resume(Process process) => SignalAsync(process, "-CONT");

    public static async Task StopAsync(Process? process)
    {
        if (process is null)
        {
            return;
        }

        if (!process.HasExited)
        {
            await Resume(process); // a stopped process cannot be waited for after SIGKILL until it is continued on some kernels
            process.Kill();
            await process.WaitForExitAsync();
        }

        process.Dispose();
    }

    private static async Task SignalAsync(Process process, string signal)
    {
        using var kill = Process.Start(new ProcessStartInfo("kill", [signal, process.Id.ToString(CultureInfo.InvariantCulture)]) { UseShellExecute = false })!;
        await kill.WaitForExitAsync();
        Assert.Equal(0, kill.ExitCode);
    }

    private static string Variable(string key) => key.Replace(":", "__", StringComparison.Ordinal);

    /// <summary>The back office as built by <c>scripts/test</c> (src/CouponDesk/bin/Debug/net10.0), found from the test's own folder.</summary>
    private static string BackOfficeDll()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "CouponDesk.slnx")))
        {
            dir = dir.Parent;
        }

        var dll = Path.Combine(dir?.FullName ?? throw new InvalidOperationException("repository root not found"), "src", "CouponDesk", "bin", "Debug", "net10.0", "CouponDesk.dll");
        return File.Exists(dll) ? dll : throw new InvalidOperationException("build the solution first: " + dll);
    }
}
