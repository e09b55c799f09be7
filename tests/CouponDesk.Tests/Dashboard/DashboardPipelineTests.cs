using System.Net;
using System.Text.Json;
using System.Text.RegularExpressions;
using CouponDesk.Security;
using CouponDesk.Security.Pii;
using CouponDesk.Tests.Pipeline;
using Dapper;
using Microsoft.Extensions.DependencyInjection;

namespace CouponDesk.Tests.Dashboard;

/// <summary>
/// The dashboard after a real campaign ran against both stand-ins: its messages are counted as today's, the success
/// rate follows, COUFUN and the worker are shown alive — and the JSON holds none of the campaign's phone or coupon numbers.
/// </summary>
public sealed partial class DashboardPipelineTests
{
    private const int Recipients = 12;

    [Fact]
    public async Task A_finished_campaign_is_counted_and_no_phone_or_coupon_number_is_in_the_answer()
    {
        await using var h = await PipelineHarness.StartAsync();
        var id = await h.ScheduleCampaignAsync(Recipients);
        Assert.Equal("COMPLETED", await h.WaitForAsync(id, 90, "COMPLETED", "PARTIALLY_FAILED", "FAILED", "ERROR"));

        using var viewer = await h.SignInAsync(Roles.Viewer);
        var response = await viewer.GetAsync("/api/dashboard?period=7d");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var text = await response.Content.ReadAsStringAsync();
        var json = JsonDocument.Parse(text).RootElement;

        var today = json.GetProperty("today");
        Assert.Equal(Recipients, today.GetProperty("total").GetInt32());
        Assert.Equal(Recipients, today.GetProperty("succeeded").GetInt32());
        Assert.Equal(0, today.GetProperty("failed").GetInt32());
        Assert.Equal(0, today.GetProperty("pending").GetInt32());
        Assert.Equal(100.0, json.GetProperty("successRate").GetProperty("today").GetDouble());
        Assert.Equal(100.0, json.GetProperty("successRate").GetProperty("last7Days").GetDouble());
        Assert.Empty(json.GetProperty("runningCampaigns").EnumerateArray());
        Assert.Empty(json.GetProperty("failures").GetProperty("send").EnumerateArray());

        var system = json.GetProperty("system");
        Assert.NotEqual(JsonValueKind.Null, system.GetProperty("coufun").GetProperty("lastSuccessAt").ValueKind);
        Assert.NotEqual(JsonValueKind.Null, system.GetProperty("lastResultAt").ValueKind);
        Assert.False(system.GetProperty("agent").GetProperty("delayed").GetBoolean());
        Assert.Contains(system.GetProperty("workers").EnumerateArray(), w => w.GetProperty("alive").GetBoolean() && w.GetProperty("roles").GetString() == "web,worker");

        // No personal data (P2): none of the phones (in any spelling) and none of the coupon numbers bought for the campaign.
        foreach (var phone in Enumerable.Range(1, Recipients).Select(i => "0100" + i.ToString("D7", System.Globalization.CultureInfo.InvariantCulture)))
        {
            Assert.DoesNotContain(phone, text, StringComparison.Ordinal);
            Assert.DoesNotContain($"{phone[..3]}-{phone[3..7]}-{phone[7..]}", text, StringComparison.Ordinal);
        }

        var pii = h.BackOffice.Services.GetRequiredService<PiiProtector>();
        await using var c = await h.Database.OpenAsync();
        var coupons = (await c.QueryAsync<(long Id, byte[] Enc)>("SELECT id, coupon_number_enc FROM coupons"))
            .Select(k => pii.Decrypt(k.Enc, CouponDesk.Features.Coupons.CouponsSetup.NumberColumn.PlaceOf(k.Id))).ToList();
        Assert.Equal(Recipients, coupons.Count);
        Assert.All(coupons, number => Assert.DoesNotContain(number, text, StringComparison.Ordinal));
        Assert.DoesNotMatch(LongDigitRun(), text);
    }

    /// <summary>Ten or more digits in a row would be a phone or coupon number (ids and counts here are far shorter).</summary>
    [GeneratedRegex(@"(?<![\d.])\d{10,}(?![\d.])")]
    private static partial Regex LongDigitRun();
}
