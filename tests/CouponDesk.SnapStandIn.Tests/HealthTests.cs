using System.Net;
using CouponDesk.TestSupport;

namespace CouponDesk.SnapStandIn.Tests;

public sealed class HealthTests(StandInFixture fixture) : IClassFixture<StandInFixture>
{
    [Fact]
    public async Task The_stand_in_answers_its_health_endpoints_on_a_loopback_port()
    {
        await using var host = await LoopbackHost.StartAsync(SnapStandInApp.Build, fixture.Settings());
        using var client = host.CreateClient();

        Assert.Equal("127.0.0.1", host.BaseAddress.Host);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("health/live")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("health/ready")).StatusCode);
    }
}
