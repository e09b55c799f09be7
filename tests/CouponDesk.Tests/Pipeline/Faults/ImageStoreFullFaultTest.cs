using System.Diagnostics;
using CouponDesk.Tests.Alerts;
using Xunit.Abstractions;

namespace CouponDesk.Tests.Pipeline.Faults;

/// <summary>
/// Issue 22 scenario 2: the image store fills up. The store is a real small file system (a tmpfs, filled up to the
/// kernel's ENOSPC before the campaign starts): coupons are bought, but no image can be staged. The items wait — ISSUED,
/// no render attempt counted, reason "이미지 저장 공간 부족" — one <c>image.disk_full</c> alert goes to the webhook, and
/// nothing is queued without its image. Space is freed (the filler deleted), and the campaign completes without anyone
/// retrying by hand.
/// </summary>
public sealed class ImageStoreFullFaultTest(ITestOutputHelper output)
{
    [SmallFileSystemFact]
    [Trait("Category", FaultSuite.Category)]
    public async Task A_full_image_store_makes_items_wait_with_one_alert_and_the_campaign_completes_once_space_is_freed()
    {
        var recipients = FaultSuite.Recipients(300);
        // Room for every image once freed (about 70 KB each, docs/benchmarks.md), with a margin.
        await using var store = await SmallFileSystem.MountAsync(16 + (recipients * 100L / 1024));
        output.WriteLine($"filler: {store.Fill() / 1024} KB");
        await using var receiver = await WebhookReceiver.StartAsync();
        await using var h = await PipelineHarness.StartAsync(extra:
        [
            new("Snap:ImageDirectory", store.Path),
            new("Alerts:WebhookUrl", receiver.Url),
        ]);
        var clock = Stopwatch.StartNew();
        var id = await h.ScheduleCampaignAsync(recipients);

        await FaultSuite.WaitUntilAsync(() => Task.FromResult(FaultSuite.AlertsOf(receiver, "image.disk_full").Count > 0), FaultSuite.CampaignSeconds(recipients), "the image.disk_full alert");
        await FaultSuite.WaitUntilAsync(async () => await FaultSuite.CountAsync(h, "SELECT COUNT(*) FROM delivery_items WHERE campaign_id = @id AND failure_code = 'IMAGE_SPACE'", id) > 0,
            120, "an item waiting for space");
        // A while longer: the items keep waiting, nothing is queued, no attempt is burnt, the campaign does not fail.
        await Task.Delay(TimeSpan.FromSeconds(FaultSuite.LongForm ? 60 : 8));
        Assert.Equal(0, await FaultSuite.CountAsync(h, "SELECT COUNT(*) FROM messages WHERE campaign_id = @id", id));
        Assert.Equal(0, await FaultSuite.CountAsync(h, "SELECT COUNT(*) FROM delivery_items WHERE campaign_id = @id AND (render_attempts > 0 OR status IN ('RENDER_FAILED','QUEUED','SENT'))", id));
        Assert.Contains(await h.StatusAsync(id), new[] { "ISSUING", "SENDING" });
        var waiting = await FaultSuite.CountAsync(h, "SELECT COUNT(*) FROM delivery_items WHERE campaign_id = @id AND failure_reason = '이미지 저장 공간 부족'", id);
        output.WriteLine($"waiting for space: {waiting}");

        store.Free();
        var final = await h.WaitForAsync(id, FaultSuite.CampaignSeconds(recipients), "COMPLETED", "PARTIALLY_FAILED", "FAILED", "ERROR", "CANCELLED");
        var w = await PipelineWitness.ReadAsync(h.Database, h.Coufun, id);
        var alerts = FaultSuite.AlertsOf(receiver, "image.disk_full");
        FaultSuite.Record(output, "2. Image store full", recipients, w, clock.Elapsed, $"image.disk_full × {alerts.Count}");

        Assert.Equal("COMPLETED", final);
        w.AssertCommon(recipients);
        Assert.Single(alerts);
        Assert.Contains("이미지 저장 공간 부족", alerts[0].GetProperty("text").GetString());
        // Every queued message has its staged image.
        Assert.Equal(0, await FaultSuite.CountAsync(h, "SELECT COUNT(*) FROM messages WHERE campaign_id = @id AND COALESCE(image_files, '') = ''", id));
        Assert.Equal(0, await FaultSuite.CountAsync(h, "SELECT COUNT(*) FROM delivery_items WHERE campaign_id = @id AND render_attempts > 0", id));
    }
}
