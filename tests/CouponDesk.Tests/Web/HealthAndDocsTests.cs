using System.Net;
using System.Text.Json;
using CouponDesk.TestSupport;

namespace CouponDesk.Tests.Web;

public sealed class HealthAndDocsTests(CouponDeskFactory factory) : IClassFixture<CouponDeskFactory>
{
    [Fact]
    public async Task Live_and_ready_answer_200_on_a_migrated_database()
    {
        var client = factory.CreateClient();

        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/health/live")).StatusCode);
        var ready = await client.GetAsync("/health/ready");
        Assert.Equal(HttpStatusCode.OK, ready.StatusCode);
        var body = JsonDocument.Parse(await ready.Content.ReadAsStringAsync()).RootElement;
        Assert.Equal("Healthy", body.GetProperty("checks").GetProperty("database").GetProperty("status").GetString());
        // One server here (a node of a synced cluster when the tests run on Galera); the conflict counters ride along.
        var cluster = body.GetProperty("checks").GetProperty("cluster");
        Assert.Equal("Healthy", cluster.GetProperty("status").GetString());
        Assert.Contains("conflicts retried", cluster.GetProperty("description").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_openapi_document_and_the_reference_ui_are_served()
    {
        var client = factory.CreateClient();

        var document = await client.GetAsync("/openapi/v1.json");
        Assert.Equal(HttpStatusCode.OK, document.StatusCode);
        Assert.Equal("3", JsonDocument.Parse(await document.Content.ReadAsStringAsync()).RootElement.GetProperty("openapi").GetString()![..1]);
        var docs = await client.GetAsync("/docs");
        Assert.Equal(HttpStatusCode.OK, docs.StatusCode);
    }
}

public sealed class ReadinessOnAnUnmigratedDatabaseTests : IAsyncLifetime
{
    private sealed class UnmigratedFactory : CouponDeskFactory
    {
        protected override IEnumerable<KeyValuePair<string, string?>> Settings =>
            base.Settings.Append(new("Database:MigrateOnStart", "false"));
    }

    private readonly UnmigratedFactory factory = new();

    [Fact]
    public async Task Ready_is_503_until_the_schema_is_current()
    {
        await factory.Database.CreateEmptyAsync();
        var client = factory.CreateClient();

        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/health/live")).StatusCode);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, (await client.GetAsync("/health/ready")).StatusCode);

        await factory.Database.MigrateAsync();
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/health/ready")).StatusCode);
    }

    public Task InitializeAsync() => Task.CompletedTask;

    public Task DisposeAsync() => factory.DisposeAsync();
}
