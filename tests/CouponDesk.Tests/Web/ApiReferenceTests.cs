using System.Net;
using System.Text.Json;
using CouponDesk.TestSupport;
using Dapper;
using Microsoft.AspNetCore.Hosting;
using MySqlConnector;

namespace CouponDesk.Tests.Web;

/// <summary>The OpenAPI document's shape (bearer scheme, summaries, problem answers) outside Production.</summary>
public sealed class ApiReferenceDocumentTests(CouponDeskFactory factory) : IClassFixture<CouponDeskFactory>
{
    [Fact]
    public async Task The_document_declares_the_bearer_scheme_and_every_operation_has_a_summary_and_problem_answers()
    {
        var client = factory.CreateClient();
        var document = JsonDocument.Parse(await client.GetStringAsync("/openapi/v1.json")).RootElement;

        var scheme = document.GetProperty("components").GetProperty("securitySchemes").GetProperty("Bearer");
        Assert.Equal("http", scheme.GetProperty("type").GetString());
        Assert.Equal("bearer", scheme.GetProperty("scheme").GetString());

        var operations = document.GetProperty("paths").EnumerateObject()
            .SelectMany(path => path.Value.EnumerateObject().Where(o => o.Name is "get" or "post" or "put" or "patch" or "delete").Select(o => (Path: path.Name, Method: o.Name, Op: o.Value)))
            .ToList();
        Assert.True(operations.Count > 40, $"only {operations.Count} operations");
        foreach (var (path, method, op) in operations)
        {
            Assert.False(string.IsNullOrWhiteSpace(op.TryGetProperty("summary", out var s) ? s.GetString() : null), $"{method} {path} has no summary");
            var responses = op.GetProperty("responses");
            Assert.True(responses.TryGetProperty("400", out var bad) && bad.GetProperty("content").TryGetProperty("application/problem+json", out _), $"{method} {path} lists no problem answer");
        }

        var protectedOne = operations.Single(o => o.Path == "/api/campaigns/{id}" && o.Method == "get").Op;
        Assert.Equal("Bearer", protectedOne.GetProperty("security")[0].EnumerateObject().Single().Name);
        Assert.True(protectedOne.GetProperty("responses").TryGetProperty("403", out _));
        var login = operations.Single(o => o.Path == "/api/auth/login").Op;
        Assert.False(login.TryGetProperty("security", out _), "login is anonymous");
    }
}

/// <summary>In Production the reference is off unless <c>Docs:Enabled</c>, and then for ADMINs only.</summary>
public sealed class ApiReferenceInProductionTests : IAsyncLifetime
{
    private readonly string user = "cdp" + Guid.NewGuid().ToString("N")[..8];
    private readonly string password = Convert.ToBase64String(System.Security.Cryptography.RandomNumberGenerator.GetBytes(18));

    [Fact]
    public async Task It_is_off_by_default()
    {
        await using var factory = new ProductionFactory(this, enabled: null);
        await factory.InitializeAsync();
        var client = factory.CreateClient();

        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/health/ready")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync("/openapi/v1.json")).StatusCode);
        Assert.NotEqual(HttpStatusCode.OK, (await client.GetAsync("/docs")).StatusCode);
    }

    [Fact]
    public async Task Enabled_it_answers_admins_only()
    {
        await using var factory = new ProductionFactory(this, enabled: true);
        await factory.InitializeAsync();

        Assert.Equal(HttpStatusCode.Unauthorized, (await factory.CreateClient().GetAsync("/openapi/v1.json")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await factory.CreateClient().GetAsync("/docs")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await (await factory.CreateClientAsync("OPERATOR")).GetAsync("/openapi/v1.json")).StatusCode);
        var admin = await factory.CreateClientAsync("ADMIN");
        Assert.Equal(HttpStatusCode.OK, (await admin.GetAsync("/openapi/v1.json")).StatusCode);
        // "/docs" redirects to "/docs/", and HttpClient drops the Authorization header on a redirect.
        Assert.Equal(HttpStatusCode.OK, (await admin.GetAsync("/docs/")).StatusCode);
    }

    private sealed class ProductionFactory(ApiReferenceInProductionTests owner, bool? enabled) : CouponDeskFactory
    {
        protected override IEnumerable<KeyValuePair<string, string?>> Settings =>
        [
            .. base.Settings,
            // Production refuses the test server's development password: a database account of its own.
            new("Database:ConnectionString", new MySqlConnectionStringBuilder(Database.ConnectionString) { UserID = owner.user, Password = owner.password }.ConnectionString),
            new("Web:ForwardedHeaders:KnownProxies:0", "127.0.0.1"),
            .. enabled is null ? Array.Empty<KeyValuePair<string, string?>>() : [new("Docs:Enabled", enabled.Value ? "true" : "false")],
        ];

        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            base.ConfigureWebHost(builder);
            builder.UseEnvironment("Production");
        }
    }

    public async Task InitializeAsync()
    {
        await using var c = new MySqlConnection(TestEnvironment.ServerConnectionString);
        await c.ExecuteAsync($"CREATE USER '{user}'@'%' IDENTIFIED BY '{password}'; GRANT ALL PRIVILEGES ON `cdt\\_%`.* TO '{user}'@'%'");
    }

    public async Task DisposeAsync()
    {
        await using var c = new MySqlConnection(TestEnvironment.ServerConnectionString);
        await c.ExecuteAsync($"DROP USER IF EXISTS '{user}'@'%'");
    }
}
