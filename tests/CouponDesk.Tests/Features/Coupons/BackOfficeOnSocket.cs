using CouponDesk.Data;
using CouponDesk.Features.Coupons;
using CouponDesk.Hosting;
using CouponDesk.TestSupport;
using Microsoft.Extensions.DependencyInjection;

namespace CouponDesk.Tests.Features.Coupons;

/// <summary>
/// The back office on a real loopback socket (the push receiver checks the caller's address, which only a real
/// connection has), on its own migrated database.
/// </summary>
public sealed class BackOfficeOnSocket : IAsyncDisposable
{
    private BackOfficeOnSocket(TestDatabase database, LoopbackHost host)
    {
        Database = database;
        Host = host;
    }

    public TestDatabase Database { get; }

    public LoopbackHost Host { get; }

    public CouponRepository Coupons => Host.Services.GetRequiredService<CouponRepository>();

    public static async Task<BackOfficeOnSocket> StartAsync(string allowedSource = "127.0.0.1", string coufunBaseUrl = "http://127.0.0.1:9/b2c_api/", string roles = "web", params KeyValuePair<string, string?>[] extra)
    {
        var database = new TestDatabase();
        await database.MigrateAsync();
        var host = await LoopbackHost.StartAsync(args => CouponDeskHost.Build(args),
        [
            new("environment", "Testing"),
            .. TestSettings.BackOffice(database, TestSettings.NewScratchDirectory()),
            new("CouponDesk:Roles", roles),
            new("Coufun:BaseUrl", coufunBaseUrl),
            new("Coufun:ExchangePush:AllowedSources:0", allowedSource),
            .. extra,
        ]);
        return new BackOfficeOnSocket(database, host);
    }

    /// <summary>Stores coupons as the pipeline will: in a transaction of the caller's.</summary>
    public async Task InsertAsync(params IssuedCoupon[] coupons)
    {
        await using var c = await Host.Services.GetRequiredService<DbConnectionFactory>().OpenAsync();
        await using var tx = await c.BeginTransactionAsync();
        await Coupons.InsertIssuedAsync(c, tx, coupons);
        await tx.CommitAsync();
    }

    public static IssuedCoupon Coupon(string number, string type = CouponType.Barcode, int face = 4500, string goodsId = "0000000101") =>
        new(number, goodsId, type, face, face * 94 / 100, new DateOnly(2027, 1, 24), "인지세 해당 없음", "CDT1", "T1", null, DateTime.UtcNow);

    public async ValueTask DisposeAsync()
    {
        await Host.DisposeAsync();
        await Database.DisposeAsync();
    }
}
