using System.Security.Cryptography;
using CouponDesk.Data;
using CouponDesk.Security.Pii;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.FileProviders;
using Microsoft.Extensions.Hosting;

namespace CouponDesk.Bench;

/// <summary>What benchmarks that build their own service container share: command-line options and a host environment.</summary>
public static class BenchHost
{
    /// <summary>The value after <paramref name="name"/> on the command line, or null.</summary>
    public static string? Option(string[] args, string name)
    {
        var i = Array.IndexOf(args, name);
        return i >= 0 && i + 1 < args.Length ? args[i + 1] : null;
    }

    /// <summary>Logging, clock, the scratch database (factory and migrator) and fresh random PII keys: what every database benchmark starts from.</summary>
    public static ServiceCollection BaseServices(string connectionString)
    {
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddSingleton<IHostEnvironment>(new BenchEnvironment());
        services.AddSingleton(TimeProvider.System);
        services.AddSingleton(new DatabaseOptions { ConnectionString = connectionString });
        services.AddSingleton<DbConnectionFactory>();
        services.AddSingleton<DatabaseMigrator>();
        services.AddSingleton(new PiiProtector(new PiiOptions
        {
            Keys = new() { ["1"] = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)) },
            ActiveKeyVersion = 1,
            BlindIndexKey = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)),
        }));
        return services;
    }
}

/// <summary>The host environment a benchmark's services see (the migrator asks for one).</summary>
public sealed class BenchEnvironment : IHostEnvironment
{
    public string EnvironmentName { get; set; } = "Benchmark";

    public string ApplicationName { get; set; } = "CouponDesk.Bench";

    public string ContentRootPath { get; set; } = AppContext.BaseDirectory;

    public IFileProvider ContentRootFileProvider { get; set; } = new NullFileProvider();
}
