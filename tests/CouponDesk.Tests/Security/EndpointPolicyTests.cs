using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using CouponDesk.Features.Auth;
using CouponDesk.Security;
using CouponDesk.Security.Authentication;
using CouponDesk.Tests.Accounts;
using CouponDesk.TestSupport;
using Dapper;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace CouponDesk.Tests.Security;

/// <summary>
/// Every endpoint the application maps — read from the endpoint data source, so endpoints other features add are
/// covered the moment they are merged, with no edit here — declares a policy of the permission matrix or is on the
/// explicit anonymous list; and each one answers every caller as the matrix says.
/// </summary>
public sealed partial class EndpointPolicyTests(CouponDeskFactory factory) : IClassFixture<CouponDeskFactory>
{
    public sealed record Route(string Method, string Pattern, string? Policy, bool Anonymous)
    {
        public override string ToString() => $"{Method} {Pattern}";
    }

    private List<Route> Routes()
    {
        _ = factory.Server;
        var endpoints = factory.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>();
        return endpoints
            .SelectMany(e =>
            {
                var pattern = "/" + (e.RoutePattern.RawText ?? "").TrimStart('/');
                var policies = e.Metadata.GetOrderedMetadata<IAuthorizeData>().Select(a => a.Policy).OfType<string>().Distinct().ToList();
                var anonymous = e.Metadata.GetMetadata<IAllowAnonymous>() is not null || (policies.Count == 0 && e.Metadata.GetOrderedMetadata<IAuthorizeData>().Count == 0);
                var methods = e.Metadata.GetMetadata<HttpMethodMetadata>()?.HttpMethods ?? ["GET"];
                return methods.Select(m => new Route(m, pattern, policies.Count == 1 ? policies[0] : policies.Count == 0 ? null : string.Join("+", policies), anonymous));
            })
            .ToList();
    }

    [Fact]
    public void Every_endpoint_declares_a_matrix_policy_or_is_on_the_anonymous_list()
    {
        var routes = Routes();
        Assert.Contains(routes, r => r.Pattern == "/api/auth/login");
        var offenders = routes
            .Where(r => r.Anonymous
                ? !AnonymousEndpoints.RoutePatterns.Contains(r.Pattern)
                : r.Policy is null || !Policies.Matrix.ContainsKey(r.Policy))
            .Select(r => $"{r} (policy: {r.Policy ?? "none"})")
            .ToList();

        Assert.True(offenders.Count == 0, "Endpoints without a matrix policy and not on Security/AnonymousEndpoints:\n" + string.Join("\n", offenders));
    }

    [Fact]
    public async Task Every_endpoint_answers_every_caller_as_the_matrix_says()
    {
        var routes = Routes().Where(r => !r.Anonymous).ToList();
        Assert.NotEmpty(routes);
        var (expired, tampered, revoked) = await BadTokensAsync();
        var failures = new List<string>();

        foreach (var route in routes)
        {
            var allowed = Policies.Matrix[route.Policy!];
            foreach (var role in Roles.All)
            {
                // A fresh account and session per call: an endpoint that ends its caller's session (logout) cannot
                // spoil the next check.
                var client = await factory.CreateClientAsync(role);
                var response = await SendAsync(client, route);
                var status = (int)response.StatusCode;
                if (allowed.Contains(role))
                {
                    if (status is 401 or 403)
                    {
                        failures.Add($"{route} as {role}: expected allowed, got {status} {await response.Content.ReadAsStringAsync()}");
                    }
                }
                else if (status != 403 || !await HasCodeAsync(response, "forbidden", "권한이 없습니다."))
                {
                    failures.Add($"{route} as {role}: expected 403 forbidden problem, got {status}");
                }
            }

            foreach (var (caller, client) in new[] { ("anonymous", factory.CreateClient()), ("expired token", factory.WithToken(expired)), ("tampered token", factory.WithToken(tampered)), ("revoked session", factory.WithToken(revoked)) })
            {
                var response = await SendAsync(client, route);
                if (response.StatusCode != HttpStatusCode.Unauthorized || !await HasCodeAsync(response, "unauthorized", BearerAuthentication.ExpiredMessage))
                {
                    failures.Add($"{route} as {caller}: expected 401 unauthorized problem, got {(int)response.StatusCode}");
                }
            }
        }

        Assert.True(failures.Count == 0, string.Join("\n", failures));
    }

    [Fact]
    public async Task A_forbidden_call_is_audited()
    {
        var viewer = await factory.CreateClientAsync(Roles.Viewer);
        await using var connection = await factory.Database.OpenAsync();
        var before = await connection.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM audit_log WHERE action = 'authz.denied'");

        var response = await viewer.GetAsync("/api/users");

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        var row = await connection.QuerySingleAsync<(string Outcome, string TargetId, string Reason)>(
            "SELECT outcome, target_id, reason FROM audit_log WHERE action = 'authz.denied' ORDER BY id DESC LIMIT 1");
        Assert.Equal(before + 1, await connection.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM audit_log WHERE action = 'authz.denied'"));
        Assert.Equal("DENIED", row.Outcome);
        Assert.Equal("GET /api/users/", row.TargetId);
        Assert.Equal(Policies.ManageUsers, row.Reason);
    }

    /// <summary>A signed token whose lifetime is over, a token with a broken signature, and the token of a logged-out session.</summary>
    private async Task<(string Expired, string Tampered, string Revoked)> BadTokensAsync()
    {
        var account = await factory.CreateAccountAsync(Roles.Admin);
        var live = await CouponDeskFactory.LoginAsync(factory.CreateClient(), account.LoginId, account.Password);
        var sessionId = JsonDocument.Parse(Base64Url(live.Split('.')[1])).RootElement.GetProperty("sid").GetString()!;
        var now = DateTime.UtcNow;
        var expired = factory.Services.GetRequiredService<TokenService>().Issue(sessionId, account.Id, now.AddHours(-13), now.AddHours(-1));
        var signature = live.Split('.')[2];
        var tampered = live[..^signature.Length] + (signature[0] == 'A' ? 'B' : 'A') + signature[1..];

        var other = await factory.CreateAccountAsync(Roles.Admin);
        var revoked = await CouponDeskFactory.LoginAsync(factory.CreateClient(), other.LoginId, other.Password);
        Assert.Equal(HttpStatusCode.NoContent, (await factory.WithToken(revoked).PostAsync("/api/auth/logout", null)).StatusCode);
        return (expired, tampered, revoked);
    }

    private static async Task<HttpResponseMessage> SendAsync(HttpClient client, Route route)
    {
        var path = Parameter().Replace(route.Pattern, m => DummyValue(m.Groups[1].Value));
        using var request = new HttpRequestMessage(new HttpMethod(route.Method), path);
        if (route.Method is "POST" or "PUT" or "PATCH")
        {
            request.Content = new StringContent("{}", Encoding.UTF8, "application/json");
        }

        return await client.SendAsync(request);
    }

    /// <summary>A value no row has, of the parameter's type: the call reaches the handler without touching real data.</summary>
    private static string DummyValue(string parameter) =>
        parameter.Contains(":guid", StringComparison.Ordinal) ? Guid.Empty.ToString()
        : parameter.Contains(":bool", StringComparison.Ordinal) ? "false"
        : parameter.Contains(":date", StringComparison.Ordinal) ? "2000-01-01"
        : parameter.Contains(":int", StringComparison.Ordinal) || parameter.Contains(":long", StringComparison.Ordinal) || parameter.Contains(":min", StringComparison.Ordinal) ? "999999999"
        : "999999999";

    private static async Task<bool> HasCodeAsync(HttpResponseMessage response, string code, string detail)
    {
        var body = await response.Content.ReadAsStringAsync();
        var root = JsonDocument.Parse(body).RootElement;
        return root.GetProperty("code").GetString() == code && root.GetProperty("detail").GetString() == detail;
    }

    private static string Base64Url(string value)
    {
        var padded = value.Replace('-', '+').Replace('_', '/');
        return Encoding.UTF8.GetString(Convert.FromBase64String(padded + new string('=', (4 - (padded.Length % 4)) % 4)));
    }

    [GeneratedRegex(@"\{([^}]+)\}")]
    private static partial Regex Parameter();
}
