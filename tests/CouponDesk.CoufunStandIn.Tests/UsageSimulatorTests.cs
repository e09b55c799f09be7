using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using CouponDesk.TestSupport;
using Dapper;

namespace CouponDesk.CoufunStandIn.Tests;

/// <summary>
/// The usage simulator (issue 17 point 8): seeded events change the ledger as the control API would (uses, partial uses of
/// AMOUNT coupons, use-cancels, supplier cancels); the coupons chosen as "silent" lose their pushes — recorded, never sent.
/// </summary>
public sealed class UsageSimulatorTests
{
    [Fact]
    public async Task Seeded_events_change_the_ledger_and_silent_coupons_never_push()
    {
        await using var standIn = await CoufunStandInHost.StartAsync();
        foreach (var goods in new[] { "0000000101", "0000000201" })
        {
            for (var i = 0; i < 4; i++)
            {
                using var r = await standIn.PostAsync("coufunCreate.do", $"POC_ID=TESTPOC01&GOODS_ID={goods}&CREATE_CNT=10&TR_ID=SIM{goods}{i}");
                Assert.Contains("<RESULT_CODE>00</RESULT_CODE>", await CoufunStandInHost.TextAsync(r), StringComparison.Ordinal);
            }
        }

        Assert.Equal(HttpStatusCode.BadRequest, (await standIn.Client.PutAsJsonAsync("_control/simulator", new { silentShare = 1.5 })).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await standIn.Client.PostAsJsonAsync("_control/simulator/step", new { events = 0 })).StatusCode);
        (await standIn.Client.PutAsJsonAsync("_control/simulator", new { enabled = false, seed = 5, silentShare = 0.5, cancelUseWeight = 0, supplierCancelWeight = 1 })).EnsureSuccessStatusCode();

        var step = JsonDocument.Parse(await (await standIn.Client.PostAsJsonAsync("_control/simulator/step", new { events = 60 })).EnsureSuccessStatusCode().Content.ReadAsStringAsync()).RootElement;

        var applied = step.GetProperty("used").GetInt32() + step.GetProperty("partlyUsed").GetInt32() + step.GetProperty("useCancelled").GetInt32() + step.GetProperty("supplierCancelled").GetInt32();
        Assert.Equal(60, applied + step.GetProperty("skipped").GetInt32());
        Assert.True(step.GetProperty("used").GetInt32() > 0);
        Assert.True(step.GetProperty("partlyUsed").GetInt32() > 0);
        Assert.True(step.GetProperty("supplierCancelled").GetInt32() > 0);
        Assert.Equal(0, step.GetProperty("useCancelled").GetInt32()); // its weight is 0
        await using var c = await standIn.Database.OpenAsync();
        Assert.Equal(applied, await c.ExecuteScalarAsync<int>("SELECT COUNT(*) FROM push_events"));
        var silent = await c.ExecuteScalarAsync<int>("SELECT COUNT(*) FROM push_events WHERE gave_up = 1 AND delivered_at IS NULL AND attempts = 0");
        Assert.Equal(step.GetProperty("silent").GetInt32(), silent);
        Assert.InRange(silent, 1, applied - 1);
        // Silence is per coupon: a coupon either loses all its pushes or none.
        Assert.Equal(0, await c.ExecuteScalarAsync<int>("SELECT COUNT(*) FROM (SELECT barcode_num FROM push_events GROUP BY barcode_num HAVING COUNT(DISTINCT gave_up) > 1) x"));
        Assert.True(await c.ExecuteScalarAsync<int>("SELECT COUNT(*) FROM coupons WHERE coupon_type = 'AMOUNT' AND status = '000' AND remain_amount < total_amount AND remain_amount > 0") > 0);
        Assert.True(await c.ExecuteScalarAsync<int>("SELECT COUNT(*) FROM coupons WHERE status = '100'") > 0);
    }
}
