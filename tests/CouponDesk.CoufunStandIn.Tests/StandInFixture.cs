using CouponDesk.TestSupport;

namespace CouponDesk.CoufunStandIn.Tests;

/// <summary>One stand-in (and its database) per test class; tests that change faults or the catalog restore them.</summary>
public class StandInFixture : IAsyncLifetime
{
    public CoufunStandInHost StandIn { get; private set; } = null!;

    protected virtual KeyValuePair<string, string?>[] Settings => [];

    public async Task InitializeAsync() => StandIn = await CoufunStandInHost.StartAsync(Settings);

    public async Task DisposeAsync() => await StandIn.DisposeAsync();
}
