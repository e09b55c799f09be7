using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace CouponDesk.TestSupport;

/// <summary>
/// The back office as a real process (the built CouponDesk.dll with the given roles and settings, as environment
/// variables) on a loopback port of its own, for tests and benchmarks that need several processes: its health
/// endpoint answers on <see cref="BaseAddress"/>, <see cref="Kill"/> is SIGKILL.
/// </summary>
public sealed partial class BackOfficeProcess : IAsyncDisposable
{
    private BackOfficeProcess(Process process, Uri baseAddress)
    {
        Process = process;
        BaseAddress = baseAddress;
    }

    public Process Process { get; }

    public Uri BaseAddress { get; }

    /// <param name="settings">Configuration keys (<c>Section:Key</c>); later keys win.</param>
    /// <param name="configuration">Build configuration to run: Debug (what scripts/test builds) or Release.</param>
    /// <param name="output">Receives every line the process writes (null: discarded).</param>
    public static BackOfficeProcess Start(IEnumerable<KeyValuePair<string, string?>> settings, string roles, string configuration = "Debug", Action<string>? output = null)
    {
        var dll = Dll(configuration);
        var port = FreePort();
        var info = new ProcessStartInfo("dotnet", [dll])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = Path.GetDirectoryName(dll)!,
        };
        foreach (var (key, value) in settings)
        {
            info.Environment[key.Replace(":", "__", StringComparison.Ordinal)] = value ?? "";
        }

        info.Environment["CouponDesk__Roles"] = roles;
        info.Environment["DOTNET_ENVIRONMENT"] = "Testing";
        info.Environment["ASPNETCORE_ENVIRONMENT"] = "Testing";
        info.Environment["ASPNETCORE_URLS"] = $"http://127.0.0.1:{port}";
        var process = Process.Start(info)!;
        process.OutputDataReceived += (_, e) => { if (e.Data is { } line) { output?.Invoke(line); } };
        process.ErrorDataReceived += (_, e) => { if (e.Data is { } line) { output?.Invoke(line); } };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return new BackOfficeProcess(process, new Uri($"http://127.0.0.1:{port}/"));
    }

    /// <summary>Waits until <c>/health/live</c> answers (the process started and listens).</summary>
    public async Task WaitUntilLiveAsync(TimeSpan timeout)
    {
        using var client = new HttpClient { BaseAddress = BaseAddress, Timeout = TimeSpan.FromSeconds(5) };
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            if (Process.HasExited)
            {
                throw new InvalidOperationException($"the back office process exited with code {Process.ExitCode}");
            }

            try
            {
                if ((await client.GetAsync("health/live")).IsSuccessStatusCode)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
            }
            catch (TaskCanceledException)
            {
            }

            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"the back office process did not answer within {timeout.TotalSeconds:F0} s");
            }

            await Task.Delay(250);
        }
    }

    /// <summary>
    /// The process's conflict counters as its readiness check reports them (<c>cluster</c> check: "N conflicts retried,
    /// M given up"); null when the endpoint does not answer.
    /// </summary>
    public async Task<(long Retried, long GivenUp)?> ConflictsAsync()
    {
        using var client = new HttpClient { BaseAddress = BaseAddress, Timeout = TimeSpan.FromSeconds(10) };
        try
        {
            // 503 (a node not synced) still carries the body.
            var response = await client.GetAsync("health/ready");
            return ParseConflicts(JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement);
        }
        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException or JsonException)
        {
            return null;
        }
    }

    public void Kill()
    {
        if (!Process.HasExited)
        {
            Process.Kill(entireProcessTree: true);
        }
    }

    public async ValueTask DisposeAsync()
    {
        Kill();
        await Process.WaitForExitAsync();
        Process.Dispose();
    }

    /// <summary>src/CouponDesk/bin/{configuration}/net10.0/CouponDesk.dll, found from this assembly's folder.</summary>
    public static string Dll(string configuration = "Debug")
    {
        var dll = Path.Combine(RepositoryRoot(), "src", "CouponDesk", "bin", configuration, "net10.0", "CouponDesk.dll");
        return File.Exists(dll) ? dll : throw new InvalidOperationException("build the solution first: " + dll);
    }

    /// <summary>The folder holding CouponDesk.slnx, found upwards from this assembly's folder.</summary>
    public static string RepositoryRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "CouponDesk.slnx")))
        {
            dir = dir.Parent;
        }

        return dir?.FullName ?? throw new InvalidOperationException("repository root not found");
    }

    private static (long, long)? ParseConflicts(JsonElement body)
    {
        var description = body.GetProperty("checks").GetProperty("cluster").GetProperty("description").GetString() ?? "";
        var match = ConflictsPattern().Match(description);
        return match.Success
            ? (long.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture), long.Parse(match.Groups[2].Value, CultureInfo.InvariantCulture))
            : null;
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    [GeneratedRegex(@"(\d+) conflicts retried, (\d+) given up")]
    private static partial Regex ConflictsPattern();
}
