using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;

namespace CouponDesk.TestSupport;

/// <summary>
/// The back office in-process (TestServer) against its own freshly migrated MariaDB database.
/// Use as an xunit class fixture; override <see cref="Settings"/> to change configuration.
/// </summary>
public class CouponDeskFactory : WebApplicationFactory<Program>, IAsyncLifetime
{
    public TestDatabase Database { get; } = new();

    /// <summary>Configuration for the application under test; later keys win.</summary>
    protected virtual IEnumerable<KeyValuePair<string, string?>> Settings =>
    [
        new("Database:ConnectionString", Database.ConnectionString),
        new("Database:MigrateOnStart", "true"),
        new("CouponDesk:Roles", "web"),
        new("Security:PasswordHashing:WorkFactor", "4"),
        new("Serilog:MinimumLevel:Default", "Warning"),
        .. TestKeys.PiiSettings,
        // Nothing listens on the discard port: a test that needs COUFUN starts the stand-in and overrides these.
        new("Coufun:BaseUrl", "http://127.0.0.1:9/b2c_api/"),
        new("Coufun:PocId", "TESTPOC01"),
        new("Catalog:ImageDirectory", Path.Combine(Path.GetTempPath(), "coupondesk-test-images", Database.Name)),
    ];

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Testing");
        foreach (var (key, value) in Settings)
        {
            builder.UseSetting(key, value);
        }

        builder.ConfigureTestServices(services => services
            .AddAuthentication(TestAuthenticationHandler.SchemeName)
            .AddScheme<AuthenticationSchemeOptions, TestAuthenticationHandler>(TestAuthenticationHandler.SchemeName, _ => { }));
    }

    /// <summary>A client signed in with <paramref name="role"/> (ADMIN, OPERATOR or VIEWER).</summary>
    public Task<HttpClient> CreateClientAsync(string role)
    {
        var client = CreateClient();
        client.DefaultRequestHeaders.Add(TestAuthenticationHandler.RoleHeader, role);
        return Task.FromResult(client);
    }

    public async Task InitializeAsync() => await Database.MigrateAsync();

    public new async Task DisposeAsync()
    {
        await base.DisposeAsync();
        await Database.DisposeAsync();
    }
}
