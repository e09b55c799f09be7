using System.Net;
using CouponDesk.Security;
using CouponDesk.Tests.Campaigns;

namespace CouponDesk.Tests.Settings;

/// <summary>
/// Issue 18 point 2, "done when": a setting changed on 설정 through one process is in force in another running process
/// without a restart — the night window of the next submit.
/// </summary>
public sealed class LiveSettingsTests(SettingsTestFactory factory) : IClassFixture<SettingsTestFactory>
{
    [Fact]
    public async Task A_running_host_applies_a_night_window_changed_through_another_host_on_its_next_submit()
    {
        factory.Clock.Set(CampaignTestFactory.DefaultNow);
        var operatorClient = await factory.CreateClientAsync(Roles.Operator);
        // 20:00 KST is daytime under the file's 21:00–08:00 window.
        var id = await CampaignSubmitTests.ReadyCampaignAsync(operatorClient, "2026-11-25 20:00", recipients: 2);
        var window = await CampaignApi.ReadAsync(await operatorClient.GetAsync("/api/campaigns/send-time"), HttpStatusCode.OK);
        Assert.Equal(21, window.GetProperty("nightStartHour").GetInt32());

        await using var peer = new PeerHost(factory);
        var admin = await peer.CreateClientAsync(Roles.Admin);
        try
        {
            await SettingsApi.ChangeAsync(admin, new Dictionary<string, object> { ["Campaigns:NightStartHour"] = 19, ["Campaigns:NightMode"] = "Block" });

            // The primary host learns it from the database only (its poller), within a few seconds.
            var deadline = DateTime.UtcNow.AddSeconds(20);
            while ((await CampaignApi.ReadAsync(await operatorClient.GetAsync("/api/campaigns/send-time"), HttpStatusCode.OK)).GetProperty("nightStartHour").GetInt32() != 19)
            {
                Assert.True(DateTime.UtcNow < deadline, "the running host did not pick up the changed night window");
                await Task.Delay(200);
            }

            var problem = await CampaignApi.ProblemAsync(await operatorClient.PostAsync($"/api/campaigns/{id}/submit", null), HttpStatusCode.BadRequest, "validation_failed");
            Assert.Equal(["야간(19시~08시)에는 발송할 수 없습니다. 다른 시각을 선택해 주세요."], CampaignApi.FieldErrors(problem, "scheduledAt"));
        }
        finally
        {
            await SettingsApi.ResetAsync(admin);
        }

        // Back to the file's window: the same campaign goes through.
        var back = DateTime.UtcNow.AddSeconds(20);
        while ((await CampaignApi.ReadAsync(await operatorClient.GetAsync("/api/campaigns/send-time"), HttpStatusCode.OK)).GetProperty("nightStartHour").GetInt32() != 21)
        {
            Assert.True(DateTime.UtcNow < back, "the running host did not return to the file's night window");
            await Task.Delay(200);
        }

        await CampaignApi.ReadAsync(await operatorClient.PostAsync($"/api/campaigns/{id}/submit", null), HttpStatusCode.OK);
    }
}
