using System.Net;
using CouponDesk.Security;
using CouponDesk.Shared.Time;
using CouponDesk.Tests.Pipeline.Resends;
using CouponDesk.Tests.Settings;
using Dapper;

namespace CouponDesk.Tests.CustomerService;

/// <summary>
/// A C/S resend's night confirmation (spec §3.4.3) follows 설정's 야간 발송 시간대 (spec §3.11, D-SET-6): an ADMIN's change
/// applies to the next resend of the running host, and going back to the file's value (here: no window) undoes it.
/// </summary>
public sealed class CsNightWindowTests
{
    [Fact]
    public async Task The_next_resend_sees_the_night_window_changed_on_settings()
    {
        // CsKit's configuration file has no night window (start = end).
        await using var h = await CsKit.StartAsync();
        var campaign = await CsKit.DeliveredCampaignAsync(h, 2, 81);
        using var client = await AfterSendKit.OperatorAsync(h);
        using var admin = await h.SignInAsync(Roles.Admin);
        var items = new List<long>();
        for (var seq = 1; seq <= 2; seq++)
        {
            items.Add(await CsKit.ItemAsync(h, campaign, seq));
        }

        // A window of two hours from the current KST hour puts now inside it for at least an hour, whenever this runs.
        var hour = Kst.Now(TimeProvider.System).Hour;
        await SettingsApi.ChangeAsync(admin, new Dictionary<string, object> { ["Campaigns:NightStartHour"] = hour, ["Campaigns:NightEndHour"] = (hour + 2) % 24 });
        var state = await CsKit.SnapshotAsync(h); // nothing in flight yet: the campaign is COMPLETED
        var night = await (await ResendAsync(client, items[0], confirmNight: false)).JsonAsync(HttpStatusCode.Conflict);
        Assert.Equal(("night_confirmation_required", "야간 시간대입니다. 계속하시겠습니까?"), (night.GetProperty("code").GetString(), night.GetProperty("detail").GetString()));
        Assert.Equal(state, await CsKit.SnapshotAsync(h));
        Assert.Equal("재발송 처리되었습니다.", (await (await ResendAsync(client, items[0], confirmNight: true)).JsonAsync(HttpStatusCode.OK)).GetProperty("message").GetString());

        // Back to the file's value (no window): no question.
        await SettingsApi.ResetAsync(admin);
        Assert.Equal("재발송 처리되었습니다.", (await (await ResendAsync(client, items[1], confirmNight: false)).JsonAsync(HttpStatusCode.OK)).GetProperty("message").GetString());

        await using var c = await h.Database.OpenAsync();
        Assert.Equal(2, await c.ExecuteScalarAsync<int>("SELECT COUNT(*) FROM messages WHERE recipient_id IN @items AND message_type = 'CS_RESEND'", new { items }));
    }

    private static async Task<HttpResponseMessage> ResendAsync(HttpClient client, long item, bool confirmNight) =>
        await CsKit.ActAsync(client, item, "resend", new { version = await CsKit.VersionAsync(client, item), confirmNight });
}
