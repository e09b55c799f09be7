using System.Diagnostics;

namespace CouponDesk.TestSupport;

/// <summary>Runs a real program (nginx, openssl, the repository's scripts) the way an operator would, and captures what it says.</summary>
public static class ExternalCommand
{
    public sealed record Result(int ExitCode, string Output, string Error)
    {
        public Result EnsureSuccess(string what) =>
            ExitCode == 0 ? this : throw new Xunit.Sdk.XunitException($"{what} exited {ExitCode}:\n{Output}\n{Error}");
    }

    public static async Task<Result> RunAsync(string file, IEnumerable<string> arguments, IDictionary<string, string>? environment = null,
        string? workingDirectory = null, int timeoutSeconds = 300, string? standardInput = null)
    {
        var info = new ProcessStartInfo(file, arguments)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = standardInput is not null,
            WorkingDirectory = workingDirectory ?? RepositoryPaths.Root,
        };
        foreach (var (key, value) in environment ?? new Dictionary<string, string>())
        {
            info.Environment[key] = value;
        }

        using var process = Process.Start(info) ?? throw new InvalidOperationException("could not start " + file);
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        if (standardInput is not null)
        {
            await process.StandardInput.WriteAsync(standardInput);
            process.StandardInput.Close();
        }

        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(timeoutSeconds));
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new Xunit.Sdk.XunitException($"{file} {string.Join(' ', arguments)} did not finish within {timeoutSeconds} s");
        }

        return new Result(process.ExitCode, await output, await error);
    }

    /// <summary>Whether a program is on PATH (scripts/test installs the Debian packages the deployment tests use).</summary>
    public static string? Find(string program) =>
        (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':')
            .Concat(["/usr/sbin", "/sbin"])
            .Select(dir => Path.Combine(dir, program))
            .FirstOrDefault(File.Exists);
}
