using System.Diagnostics;
using CouponDesk.TestSupport;

namespace CouponDesk.Tests.Hosting;

/// <summary>Runs the real executable the way an operator would, with a broken setting, and reads what it says.</summary>
public sealed class ConfigurationErrorTests
{
    private static readonly string ServerConnection = TestEnvironment.ServerConnectionString + ";Database=cdt_never_created";

    [Fact]
    public async Task A_missing_connection_string_names_the_key()
    {
        var (exit, error) = await RunAsync(new() { ["Database__ConnectionString"] = "" });

        Assert.Equal(2, exit);
        Assert.Contains("Database:ConnectionString", error);
        Assert.Single(error.Trim().Split('\n'));
    }

    [Fact]
    public async Task An_unknown_role_names_the_key()
    {
        var (exit, error) = await RunAsync(new() { ["Database__ConnectionString"] = ServerConnection, ["CouponDesk__Roles"] = "web,mailer" });

        Assert.Equal(2, exit);
        Assert.Contains("CouponDesk:Roles", error);
        Assert.Contains("mailer", error);
    }

    [Fact]
    public async Task An_out_of_range_value_names_the_key()
    {
        var (exit, error) = await RunAsync(new()
        {
            ["Database__ConnectionString"] = ServerConnection,
            ["Database__MigrateOnStart"] = "false",
            ["Security__PasswordHashing__WorkFactor"] = "99",
        });

        Assert.Equal(2, exit);
        Assert.Contains("Security:PasswordHashing:WorkFactor", error);
    }

    [Fact]
    public async Task Development_secrets_are_refused_in_production()
    {
        var (exit, error) = await RunAsync(new()
        {
            ["ASPNETCORE_ENVIRONMENT"] = "Production",
            ["Database__ConnectionString"] = ServerConnection,
            ["Database__MigrateOnStart"] = "false",
            // Production also requires the reverse proxy to be named (D-OPS-1); named here so the secrets are what fails.
            ["Web__ForwardedHeaders__KnownProxies__0"] = "127.0.0.1",
        });

        Assert.Equal(2, exit);
        Assert.Contains("Database:ConnectionString", error);
        Assert.Contains("development default", error);
        Assert.DoesNotContain("dev-only-", error);
    }

    /// <summary>A Production start with everything valid but what each test breaks (no development secrets anywhere).</summary>
    private static Dictionary<string, string> Production(params (string Key, string Value)[] changes)
    {
        var environment = new Dictionary<string, string>
        {
            ["ASPNETCORE_ENVIRONMENT"] = "Production",
            ["Database__ConnectionString"] = "Server=127.0.0.1;Port=9;User ID=coupondesk;Password=not-a-development-secret;Database=coupondesk",
            ["Database__MigrateOnStart"] = "false",
            ["Web__ForwardedHeaders__KnownProxies__0"] = "127.0.0.1",
            ["Coufun__BaseUrl"] = "https://coufun.example.test/b2c_api/",
            ["Coufun__PocId"] = "POC00001",
        };
        foreach (var (key, value) in changes)
        {
            environment[key] = value;
        }

        return environment;
    }

    [Fact]
    public async Task A_production_start_without_a_known_proxy_stops_with_one_line()
    {
        var (exit, error) = await RunAsync(Production(("Web__ForwardedHeaders__KnownProxies__0", "")));

        Assert.Equal(2, exit);
        Assert.Contains("Web:ForwardedHeaders:KnownProxies", Assert.Single(error.Trim().Split('\n')));
    }

    [Fact]
    public async Task A_production_start_with_a_missing_key_stops_with_one_line()
    {
        var (exit, error) = await RunAsync(Production(("Security__Audit__ChainKey", "")));

        Assert.Equal(2, exit);
        Assert.Contains("Security:Audit:ChainKey", Assert.Single(error.Trim().Split('\n')));
    }

    [Fact]
    public async Task A_production_start_with_a_plain_http_webhook_stops_with_one_line()
    {
        var (exit, error) = await RunAsync(Production(("Alerts__WebhookUrl", "http://hooks.example.test/T0/B0/x")));

        Assert.Equal(2, exit);
        Assert.Contains("Alerts:WebhookUrl", Assert.Single(error.Trim().Split('\n')));
    }

    private static async Task<(int Exit, string Error)> RunAsync(Dictionary<string, string> environment)
    {
        var dll = Path.Combine(AppContext.BaseDirectory, "CouponDesk.dll");
        var workDir = Directory.CreateTempSubdirectory("cd-config-test").FullName;
        var start = new ProcessStartInfo("dotnet", [dll, "--urls", "http://127.0.0.1:0"])
        {
            WorkingDirectory = workDir,
            RedirectStandardError = true,
            RedirectStandardOutput = true,
        };
        start.Environment["ASPNETCORE_ENVIRONMENT"] = "Testing";
        start.Environment["CouponDesk__Roles"] = "web";
        start.Environment["Snap__ImageDirectory"] = Path.GetTempPath(); // required setting, valid here so each test sees only its own error
        foreach (var (key, value) in TestKeys.PiiSettings)
        {
            start.Environment[key.Replace(":", "__", StringComparison.Ordinal)] = value;
        }
        foreach (var (key, value) in environment)
        {
            start.Environment[key] = value;
        }

        using var process = Process.Start(start)!;
        var stderr = process.StandardError.ReadToEndAsync();
        _ = process.StandardOutput.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new Xunit.Sdk.XunitException("the process did not stop on a configuration error");
        }

        Directory.Delete(workDir, recursive: true);
        return (process.ExitCode, await stderr);
    }
}
