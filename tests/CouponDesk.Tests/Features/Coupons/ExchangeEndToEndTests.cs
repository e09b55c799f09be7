using System.Net.Http.Json;
using CouponDesk.Features.Coupons;
using CouponDesk.Integrations.Coufun;
using CouponDesk.Shared.Time;
using CouponDesk.TestSupport;
using Microsoft.Extensions.DependencyInjection;

namespace CouponDesk.Tests.Features.Coupons;

/// <summary>
/// Both programs on real sockets: the back office buys a coupon from the stand-in, a store uses it through the
/// stand-in's control API, the stand-in pushes, and the back office shows it used (then confirms by a status read).
/// </summary>
public sealed class ExchangeEndToEndTests
{
    [Fact]
    public async Task A_coupon_used_at_the_store_shows_up_used_in_the_back_office_within_seconds()
    {
        await using var standIn = await CoufunStandInHost.StartAsync();
        await using var backOffice = await BackOfficeOnSocket.StartAsync(coufunBaseUrl: standIn.BaseUrl, roles: "web,worker");
        (await standIn.Client.PutAsJsonAsync("_control/push-url", new { url = new Uri(backOffice.Host.BaseAddress, ExchangePushEndpoint.Path.TrimStart('/')).ToString() })).EnsureSuccessStatusCode();

        var bought = await backOffice.Host.Services.GetRequiredService<CoufunClient>().CreateAsync("0000000101", 1, "CDE2E" + Guid.NewGuid().ToString("N")[..20]);
        var number = bought.Value!.Coupons[0].BarcodeNum;
        await backOffice.InsertAsync(new IssuedCoupon(number, "0000000101", CouponType.Barcode, 4500, 4230, bought.Value.ValidEndDate!.Value, bought.Value.Coupons[0].StampDuty,
            bought.TrId, bought.Value.OrderId, null, DateTime.UtcNow));

        (await standIn.CouponEventAsync("use", number)).EnsureSuccessStatusCode();

        CouponRecord? coupon = null;
        for (var i = 0; i < 100 && coupon?.Status != CouponStatus.Used; i++)
        {
            await Task.Delay(100);
            coupon = await backOffice.Coupons.FindByNumberAsync(number);
        }

        Assert.Equal(CouponStatus.Used, coupon!.Status);
        // The stand-in records the delivery after reading our reply, a moment after we applied the push.
        List<PushDto>? delivered = null;
        for (var i = 0; i < 100 && delivered?.SingleOrDefault()?.DeliveredAt is null; i++)
        {
            await Task.Delay(100);
            delivered = await (await standIn.Client.PostAsJsonAsync("_control/pushes/find", new { barcodeNum = number })).Content.ReadFromJsonAsync<List<PushDto>>();
        }

        Assert.Single(delivered!);
        Assert.NotNull(delivered![0].DeliveredAt);
        Assert.Equal(1, delivered[0].Attempts);

        // The status read after the push confirms the state from the supplier (the authority).
        for (var i = 0; i < 100 && await Checked(backOffice, coupon.Id) is null; i++)
        {
            await Task.Delay(100);
        }

        Assert.NotNull(await Checked(backOffice, coupon.Id));
        Assert.Equal(("001", CouponStatus.Used), ((await backOffice.Coupons.FindByIdAsync(coupon.Id))!.SupplierStatus, (await backOffice.Coupons.FindByIdAsync(coupon.Id))!.Status));
        Assert.True(Kst.ToKst(coupon.LastExchangeAt!.Value) <= Kst.Now(TimeProvider.System).AddMinutes(1));
    }

    private static async Task<DateTime?> Checked(BackOfficeOnSocket backOffice, long id)
    {
        await using var c = await backOffice.Database.OpenAsync();
        return await Dapper.SqlMapper.ExecuteScalarAsync<DateTime?>(c, "SELECT status_checked_at FROM coupons WHERE id = @id", new { id });
    }

    private sealed record PushDto(long Id, DateTime? DeliveredAt, int Attempts);
}
