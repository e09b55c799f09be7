using CouponDesk.Data.Redis;
using CouponDesk.Hosting.Liveness;
using CouponDesk.Integrations.Coufun;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace CouponDesk.Tests.Integrations.Coufun;

/// <summary>The real COUFUN client wiring (AddCoufun) pointed at a stand-in, without the rest of the back office.</summary>
public static class ClientHarness
{
    public static ServiceProvider Build(string baseUrl, params KeyValuePair<string, string?>[] settings)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(
        [
            new("Coufun:BaseUrl", baseUrl),
            new("Coufun:PocId", "TESTPOC01"),
            new("Coufun:RequestTimeoutSeconds", "3"),
            new("Coufun:ReadRetries", "1"),
            .. settings,
        ]).Build();
        var services = new ServiceCollection();
        services.AddLogging(l => l.SetMinimumLevel(LogLevel.Warning));
        services.AddSingleton<IHostEnvironment>(new TestHostEnvironment());
        services.AddSingleton(TimeProvider.System);
        services.AddSingleton(new RedisOptions());
        services.AddSingleton<RedisConnection>();
        services.AddSingleton<StandaloneProcess>();
        services.AddSingleton<ISlotOwners>(sp => sp.GetRequiredService<StandaloneProcess>());
        services.AddSingleton<ICreateCallPermit>(sp => sp.GetRequiredService<StandaloneProcess>());
        services.AddCoufun(configuration);
        return services.BuildServiceProvider();
    }

    /// <summary>
    /// The client alone, without a heartbeat: these tests are about the wire, and liveness has tests of its own
    /// (tests/CouponDesk.Tests/Pipeline/Liveness). A create may always leave; no peer is ever dead.
    /// </summary>
    private sealed class StandaloneProcess : ISlotOwners, ICreateCallPermit
    {
        public string Owner { get; } = Guid.NewGuid().ToString("N")[..16];

        public IReadOnlyList<string> ReleasedOwners => [];

        public Task WaitUntilMayCallAsync(CancellationToken ct) => Task.CompletedTask;
    }

    private sealed class TestHostEnvironment : IHostEnvironment
    {
        public string EnvironmentName { get; set; } = "Testing";

        public string ApplicationName { get; set; } = "CouponDesk.Tests";

        public string ContentRootPath { get; set; } = AppContext.BaseDirectory;

        public Microsoft.Extensions.FileProviders.IFileProvider ContentRootFileProvider { get; set; } = new Microsoft.Extensions.FileProviders.NullFileProvider();
    }
}
