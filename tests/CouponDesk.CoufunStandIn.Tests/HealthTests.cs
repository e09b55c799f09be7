using System.Net;
using CouponDesk.TestSupport;

namespace CouponDesk.CoufunStandIn.Tests;

public sealed class HealthTests
{
    [Fact]
    public async Task The_stand_in_answers_its_health_endpoints_on_a_loopback_port()
    {
        await using var standIn = await CoufunStandInHost.StartAsync();

        Assert.Equal("127.0.0.1", standIn.Host.BaseAddress.Host);
        Assert.Equal(HttpStatusCode.OK, (await standIn.Client.GetAsync("health/live")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await standIn.Client.GetAsync("health/ready")).StatusCode);
    }
}
