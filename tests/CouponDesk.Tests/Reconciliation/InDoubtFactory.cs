using CouponDesk.TestSupport;

namespace CouponDesk.Tests.Reconciliation;

/// <summary>The back office (role web) with its own COUFUN stand-in, which answers the cancels a settlement makes.</summary>
public sealed class InDoubtFactory : CouponDeskFactory, IAsyncLifetime
{
    public CoufunStandInHost StandIn { get; private set; } = null!;

    public ReconciliationData Data => new(Services);

    protected override IEnumerable<KeyValuePair<string, string?>> Settings =>
    [
        .. base.Settings,
        new("Coufun:BaseUrl", StandIn.BaseUrl),
        new("Coufun:RequestTimeoutSeconds", "10"),
    ];

    async Task IAsyncLifetime.InitializeAsync()
    {
        StandIn = await CoufunStandInHost.StartAsync();
        await InitializeAsync();
    }

    async Task IAsyncLifetime.DisposeAsync()
    {
        await DisposeAsync();
        await StandIn.DisposeAsync();
    }
}
