using System.Net;
using System.Text;
using System.Text.Json;
using CouponDesk.Hosting;
using CouponDesk.TestSupport;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace CouponDesk.Tests.Web;

public sealed class ProblemDetailsTests(ProblemDetailsTests.Factory factory) : IClassFixture<ProblemDetailsTests.Factory>
{
    /// <summary>The back office plus one probe endpoint with a JSON body, to exercise body binding errors.</summary>
    public sealed class Factory : CouponDeskFactory
    {
        private static int calls;

        public static int Calls => Volatile.Read(ref calls);

        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            base.ConfigureWebHost(builder);
            builder.ConfigureServices(services => services.AddEndpointModule<ProbeEndpoint>());
        }

        private sealed class ProbeEndpoint : IEndpointModule
        {
            public void Map(IEndpointRouteBuilder app) => app.MapPost("/_probe/echo", (ProbeBody body) =>
            {
                Interlocked.Increment(ref calls);
                return Results.Ok(body);
            });
        }
    }

    public sealed record ProbeBody(string Name, int Count);

    [Fact]
    public async Task Unknown_route_is_a_problem_with_a_code()
    {
        var response = await factory.CreateClient().GetAsync("/api/does-not-exist");

        var problem = await ReadProblem(response, HttpStatusCode.NotFound);
        Assert.Equal("not_found", problem.GetProperty("code").GetString());
        Assert.False(string.IsNullOrEmpty(problem.GetProperty("correlationId").GetString()));
    }

    [Fact]
    public async Task Wrong_method_is_a_problem_with_a_code()
    {
        var response = await factory.CreateClient().PostAsync("/openapi/v1.json", null);

        var problem = await ReadProblem(response, HttpStatusCode.MethodNotAllowed);
        Assert.Equal("method_not_allowed", problem.GetProperty("code").GetString());
    }

    [Theory]
    [InlineData("{\"name\": \"a\", \"count\": ")]
    [InlineData("not json at all")]
    [InlineData("{\"name\": \"a\", \"count\": \"many\"}")]
    [InlineData("")]
    public async Task Malformed_body_is_a_400_problem_and_the_handler_never_runs(string body)
    {
        var before = Factory.Calls;

        var response = await factory.CreateClient().PostAsync("/_probe/echo", new StringContent(body, Encoding.UTF8, "application/json"));

        var problem = await ReadProblem(response, HttpStatusCode.BadRequest);
        Assert.Equal("malformed_body", problem.GetProperty("code").GetString());
        Assert.Contains("요청", problem.GetProperty("detail").GetString());
        Assert.Equal(before, Factory.Calls);
    }

    [Fact]
    public async Task Wrong_content_type_is_a_415_problem()
    {
        var response = await factory.CreateClient().PostAsync("/_probe/echo", new StringContent("name=a", Encoding.UTF8, "text/plain"));

        var problem = await ReadProblem(response, HttpStatusCode.UnsupportedMediaType);
        Assert.Equal("unsupported_media_type", problem.GetProperty("code").GetString());
    }

    [Fact]
    public async Task The_callers_correlation_id_is_echoed()
    {
        var client = factory.CreateClient();
        client.DefaultRequestHeaders.Add("X-Correlation-Id", "test-correlation-0001");

        var response = await client.GetAsync("/api/nothing-here");

        Assert.Equal("test-correlation-0001", response.Headers.GetValues("X-Correlation-Id").Single());
        var problem = await ReadProblem(response, HttpStatusCode.NotFound);
        Assert.Equal("test-correlation-0001", problem.GetProperty("correlationId").GetString());
    }

    private static async Task<JsonElement> ReadProblem(HttpResponseMessage response, HttpStatusCode expected)
    {
        Assert.Equal(expected, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var body = await response.Content.ReadAsStringAsync();
        Assert.DoesNotContain("   at ", body);
        return JsonDocument.Parse(body).RootElement;
    }
}
