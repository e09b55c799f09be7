using CouponDesk.TestSupport;

namespace CouponDesk.Tests.Features.Products;

/// <summary>The back office (test authentication) talking to its own COUFUN stand-in.</summary>
public class ProductsFactory : CouponDeskFactory, IAsyncLifetime
{
    public CoufunStandInHost StandIn { get; private set; } = null!;

    protected virtual int ManualRunsPerDay => 100;

    protected override IEnumerable<KeyValuePair<string, string?>> Settings =>
    [
        .. base.Settings,
        new("Coufun:BaseUrl", StandIn.BaseUrl),
        new("Coufun:RequestTimeoutSeconds", "10"),
        new("Catalog:ManualRunsPerDay", ManualRunsPerDay.ToString(System.Globalization.CultureInfo.InvariantCulture)),
        new("Catalog:DailyCallBudget", "100"),
    ];

    async Task IAsyncLifetime.InitializeAsync()
    {
        StandIn = await CoufunStandInHost.StartAsync(new KeyValuePair<string, string?>("StandIn:ProductListDailyLimit", "1000"));
        await InitializeAsync();
    }

    async Task IAsyncLifetime.DisposeAsync()
    {
        await DisposeAsync();
        await StandIn.DisposeAsync();
    }
}

public sealed class OneManualRunFactory : ProductsFactory
{
    protected override int ManualRunsPerDay => 1;
}
