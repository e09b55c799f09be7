using System.Net.Http.Json;
using System.Text.Json;
using CouponDesk.Data;
using CouponDesk.Features.Coupons;
using CouponDesk.Integrations.Coufun;
using CouponDesk.TestSupport;
using Dapper;
using Microsoft.Extensions.DependencyInjection;

namespace CouponDesk.Tests.Features.Coupons;

/// <summary>
/// The COUFUN stand-in and the back office on real sockets, the stand-in pushing to the back office: coupons are bought
/// at the stand-in through the real client and stored as the pipeline stores them, so the status sync, the pushes and
/// the stand-in's ledger can be compared coupon by coupon.
/// </summary>
public sealed class SyncKit : IAsyncDisposable
{
    private SyncKit(CoufunStandInHost coufun, BackOfficeOnSocket backOffice)
    {
        Coufun = coufun;
        BackOffice = backOffice;
    }

    public CoufunStandInHost Coufun { get; }

    public BackOfficeOnSocket BackOffice { get; }

    public T Get<T>()
        where T : notnull => BackOffice.Host.Services.GetRequiredService<T>();

    public static async Task<SyncKit> StartAsync(string roles = "web", params KeyValuePair<string, string?>[] extra)
    {
        var coufun = await CoufunStandInHost.StartAsync();
        var backOffice = await BackOfficeOnSocket.StartAsync(coufunBaseUrl: coufun.BaseUrl, roles: roles, extra: [new("Coufun:ReadRetries", "0"), new("Coufun:RequestTimeoutSeconds", "5"), .. extra]);
        (await coufun.Client.PutAsJsonAsync("_control/push-url", new { url = new Uri(backOffice.Host.BaseAddress, ExchangePushEndpoint.Path.TrimStart('/')).ToString() })).EnsureSuccessStatusCode();
        return new SyncKit(coufun, backOffice);
    }

    /// <summary>The first stand-in product of <paramref name="couponType"/>.</summary>
    public async Task<(string GoodsId, int OriPrice)> ProductAsync(string couponType)
    {
        var products = JsonDocument.Parse(await Coufun.Client.GetStringAsync("_control/products")).RootElement.EnumerateArray();
        var p = products.First(p => p.GetProperty("couponType").GetString() == couponType && p.GetProperty("sellable").GetBoolean());
        return (p.GetProperty("goodsId").GetString()!, p.GetProperty("oriPrice").GetInt32());
    }

    /// <summary>Buys <paramref name="count"/> coupons at the stand-in (10 per call) and stores them as issued; returns their numbers.</summary>
    public async Task<List<string>> BuyAsync(string couponType, int count, DateOnly? validUntil = null)
    {
        var (goodsId, oriPrice) = await ProductAsync(couponType);
        var client = Get<CoufunClient>();
        var numbers = new List<string>();
        var issued = new List<IssuedCoupon>();
        for (var bought = 0; bought < count; bought += 10)
        {
            var n = Math.Min(10, count - bought);
            var trId = "SYNC" + Guid.NewGuid().ToString("N")[..20];
            var order = (await client.CreateAsync(goodsId, n, trId)).Value ?? throw new InvalidOperationException("the stand-in did not sell coupons");
            foreach (var k in order.Coupons)
            {
                numbers.Add(k.BarcodeNum);
                issued.Add(new IssuedCoupon(k.BarcodeNum, goodsId, couponType, oriPrice, oriPrice * 94 / 100, validUntil ?? order.ValidEndDate!.Value, k.StampDuty, trId, order.OrderId, null, DateTime.UtcNow));
            }
        }

        await BackOffice.InsertAsync([.. issued]);
        return numbers;
    }

    public sealed record LedgerRow(string BarcodeNum, string Status, string CouponType, int RemainAmount, int TotalAmount);

    public async Task<Dictionary<string, LedgerRow>> LedgerAsync()
    {
        await using var c = await Coufun.Database.OpenAsync();
        return (await c.QueryAsync<LedgerRow>(
            "SELECT barcode_num AS BarcodeNum, status, coupon_type AS CouponType, remain_amount AS RemainAmount, total_amount AS TotalAmount FROM coupons"))
            .ToDictionary(r => r.BarcodeNum);
    }

    public sealed record Ours(long Id, string Status, int Balance);

    public async Task<Dictionary<string, Ours>> OursAsync()
    {
        await using var c = await BackOffice.Database.OpenAsync();
        var rows = (await c.QueryAsync<Ours>("SELECT id, status, balance FROM coupons")).ToList();
        var numbers = await BackOffice.Coupons.RevealNumbersAsync([.. rows.Select(r => r.Id)]);
        return rows.ToDictionary(r => numbers[r.Id]);
    }

    /// <summary>What our record should say for the stand-in's row (spec §4.2–§4.3): 100 폐기, 001 교환, AMOUNT by balance.</summary>
    public static (string Status, int? Balance) Expected(LedgerRow row) => row switch
    {
        { Status: "100" } => (CouponStatus.Cancelled, null),
        { Status: "001" } => (CouponStatus.Used, null),
        { CouponType: "AMOUNT" } when row.RemainAmount == 0 => (CouponStatus.Used, 0),
        { CouponType: "AMOUNT" } when row.RemainAmount < row.TotalAmount => (CouponStatus.PartiallyUsed, row.RemainAmount),
        { CouponType: "AMOUNT" } => (CouponStatus.Unused, row.RemainAmount),
        _ => (CouponStatus.Unused, null),
    };

    /// <summary>Numbers of our coupons whose state differs from the stand-in's ledger (none in clear in a failure message: only a count).</summary>
    public async Task<List<string>> MismatchesAsync()
    {
        var ledger = await LedgerAsync();
        var ours = await OursAsync();
        return [.. ours.Where(o =>
        {
            var (status, balance) = Expected(ledger[o.Key]);
            return o.Value.Status != status || (balance is { } b && o.Value.Balance != b);
        }).Select(o => o.Key)];
    }

    /// <summary>Waits until the stand-in has delivered every push it means to send and our follow-up has read every pushed coupon.</summary>
    public async Task SettlePushesAsync()
    {
        for (var i = 0; i < 600; i++)
        {
            await using var s = await Coufun.Database.OpenAsync();
            var undelivered = await s.ExecuteScalarAsync<int>("SELECT COUNT(*) FROM push_events WHERE delivered_at IS NULL AND gave_up = 0");
            if (undelivered == 0)
            {
                break;
            }

            await Task.Delay(100);
        }

        var followUp = Get<CouponStatusFollowUp>();
        while (await followUp.RunOnceAsync(CancellationToken.None) > 0)
        {
        }
    }

    public async Task<int> ScalarAsync(string sql, object? args = null)
    {
        await using var c = await BackOffice.Database.OpenAsync();
        return await c.ExecuteScalarAsync<int>(sql, args);
    }

    public async Task ExecuteAsync(string sql, object? args = null)
    {
        await using var c = await Get<DbConnectionFactory>().OpenAsync();
        await c.ExecuteAsync(sql, args);
    }

    public async ValueTask DisposeAsync()
    {
        await BackOffice.DisposeAsync();
        await Coufun.DisposeAsync();
    }
}
