using CouponDesk.TestSupport;

namespace CouponDesk.Tests.Deployment;

/// <summary>
/// Issue 19: deploy/docker/docker-compose.yml is valid for Debian's docker-compose and refuses to start without its
/// secrets. (Images cannot be pulled or built on this machine: the build itself is not run.)
/// </summary>
public sealed class ComposeFileTests
{
    private static readonly string Directory = RepositoryPaths.Path("deploy", "docker");

    [Fact]
    public async Task The_compose_file_is_valid_with_the_secrets_filled_in()
    {
        var result = await ConfigAsync(Filled());

        Assert.True(result.ExitCode == 0, result.Output + result.Error);
        foreach (var expected in new[] { "mariadb:", "redis:", "backoffice:", "worker:", "--default-time-zone=+09:00", "utf8mb4", "CouponDesk__Roles: worker", "CouponDesk__Roles: web,jobs" })
        {
            Assert.Contains(expected, result.Output);
        }
    }

    [Fact]
    public async Task A_missing_secret_stops_compose_with_its_name()
    {
        var result = await ConfigAsync(Filled().Replace("AUDIT_CHAIN_KEY=x", "AUDIT_CHAIN_KEY=", StringComparison.Ordinal));

        Assert.NotEqual(0, result.ExitCode);
        Assert.Contains("AUDIT_CHAIN_KEY", result.Error);
    }

    private static string Filled() =>
        string.Join('\n', File.ReadAllLines(Path.Combine(Directory, ".env.example")).Select(l => l.EndsWith('=') ? l + "x" : l));

    private static async Task<ExternalCommand.Result> ConfigAsync(string env)
    {
        var work = System.IO.Directory.CreateTempSubdirectory("cd-compose-").FullName;
        try
        {
            var envFile = Path.Combine(work, ".env");
            await File.WriteAllTextAsync(envFile, env);
            var compose = ExternalCommand.Find("docker-compose") ?? throw new InvalidOperationException("docker-compose missing (scripts/test installs it)");
            return await ExternalCommand.RunAsync(compose, ["--project-directory", Directory, "--env-file", envFile, "-f", Path.Combine(Directory, "docker-compose.yml"), "config"], workingDirectory: work);
        }
        finally
        {
            System.IO.Directory.Delete(work, recursive: true);
        }
    }
}
