using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;

namespace CouponDesk.TestSupport;

/// <summary>
/// The back office in-process (TestServer) against its own freshly migrated MariaDB database.
/// Use as an xunit class fixture; override <see cref="Settings"/> to change configuration.
/// </summary>
public class CouponDeskFactory : WebApplicationFactory<Program>, IAsyncLifetime
{
    public TestDatabase Database { get; } = new();

    /// <summary>Scratch space of this factory (staged MMS images under <c>mms/</c>, product images under <c>products/</c>); removed with it.</summary>
    public string ScratchDirectory { get; } = TestSettings.NewScratchDirectory();

    /// <summary>Where staged MMS images go (<c>Snap:ImageDirectory</c>).</summary>
    public string ImageDirectory => Path.Combine(ScratchDirectory, "mms");

    /// <summary>Configuration for the application under test; later keys win.</summary>
    protected virtual IEnumerable<KeyValuePair<string, string?>> Settings => TestSettings.BackOffice(Database, ScratchDirectory);

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Testing");
        foreach (var (key, value) in Settings)
        {
            builder.UseSetting(key, value);
        }
    }

    /// <summary>
    /// A client signed in with <paramref name="role"/> (ADMIN, OPERATOR or VIEWER) through the real login endpoint:
    /// each call creates a fresh ACTIVE account of that role (no password change pending) and logs it in, so clients
    /// never share a session. For the account itself use <see cref="CreateAccountAsync"/> and <see cref="LoginAsync"/>.
    /// </summary>
    public async Task<HttpClient> CreateClientAsync(string role)
    {
        var account = await CreateAccountAsync(role);
        var client = CreateClient();
        var token = await LoginAsync(client, account.LoginId, account.Password);
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return client;
    }

    public sealed record TestAccount(long Id, string LoginId, string Password, string Role);

    private static int accountCounter;

    /// <summary>Inserts an ACTIVE account of <paramref name="role"/> with a known password and no password change pending.</summary>
    public async Task<TestAccount> CreateAccountAsync(string role, bool mustChangePassword = false)
    {
        _ = Services; // the host (and its migrations) first; works for the test server and for Kestrel
        var created = await TestAccounts.InsertAsync(Services, "t", Interlocked.Increment(ref accountCounter), 6, role, mustChangePassword);
        return new TestAccount(created.Id, created.LoginId, created.Password, role);
    }

    /// <summary>Logs in through <c>POST /api/auth/login</c> and returns the access token (fails the test otherwise).</summary>
    public static async Task<string> LoginAsync(HttpClient client, string loginId, string password)
    {
        var response = await client.PostAsJsonAsync("/api/auth/login", new { username = loginId, password });
        var body = await response.Content.ReadAsStringAsync();
        if (!response.IsSuccessStatusCode)
        {
            throw new InvalidOperationException($"test login failed with {(int)response.StatusCode}: {body}");
        }

        return JsonDocument.Parse(body).RootElement.GetProperty("accessToken").GetString()!;
    }

    public async Task InitializeAsync() => await Database.MigrateAsync();

    public new async Task DisposeAsync()
    {
        await base.DisposeAsync();
        await Database.DisposeAsync();
        if (Directory.Exists(ScratchDirectory))
        {
            Directory.Delete(ScratchDirectory, recursive: true);
        }
    }
}
