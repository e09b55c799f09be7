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

    /// <summary>Where staged MMS images go (<c>Snap:ImageDirectory</c>); removed with the factory.</summary>
    public string ImageDirectory { get; } = Path.Combine(Path.GetTempPath(), "cd-images-" + Guid.NewGuid().ToString("N")[..8]);

    /// <summary>Configuration for the application under test; later keys win.</summary>
    protected virtual IEnumerable<KeyValuePair<string, string?>> Settings =>
    [
        new("Database:ConnectionString", Database.ConnectionString),
        new("Database:MigrateOnStart", "true"),
        new("CouponDesk:Roles", "web"),
        new("Security:PasswordHashing:WorkFactor", "4"),
        new("Serilog:MinimumLevel:Default", "Warning"),
        new("Snap:ImageDirectory", ImageDirectory),
        .. TestKeys.PiiSettings,
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
        if (Directory.Exists(ImageDirectory))
        {
            Directory.Delete(ImageDirectory, recursive: true);
        }
    }
}
