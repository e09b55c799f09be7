using CouponDesk.Features.Privacy;
using CouponDesk.Tests.Accounts;
using Dapper;
using Microsoft.Extensions.DependencyInjection;

namespace CouponDesk.Tests.Privacy;

/// <summary>Upload row errors go 7 days after the upload, in the 02:00 group (spec §5.8).</summary>
public sealed class UploadErrorPurgeTests(UploadErrorPurgeTests.Factory factory) : IClassFixture<UploadErrorPurgeTests.Factory>
{
    public sealed class Factory : ClockedFactory;

    [Fact]
    public async Task Upload_row_errors_go_after_seven_days_on_their_own_schedule()
    {
        var now = factory.Clock.GetUtcNow().UtcDateTime;
        var data = await FinishedCampaignData.CreateAsync(factory.Services, 920, "정업로드", "업로드 메모", now);
        var purge = factory.Services.GetRequiredService<PiiPurge>();
        factory.Clock.Advance(TimeSpan.FromDays(6));
        Assert.Equal(0, (await purge.RunAsync(PurgeSchedule.Uploads))["uploads.row_errors"]);
        factory.Clock.Advance(TimeSpan.FromDays(2));
        var counts = await purge.RunAsync(PurgeSchedule.Uploads);
        Assert.Equal(["uploads.row_errors"], counts.Keys);
        Assert.True(counts["uploads.row_errors"] >= 1);
        await using var c = await factory.Database.OpenAsync();
        Assert.Equal(0, await c.ExecuteScalarAsync<int>("SELECT COUNT(*) FROM recipient_list_errors e JOIN recipient_lists l ON l.id = e.list_id WHERE l.campaign_id = @id", new { id = data.CampaignId }));
    }
}
