using CouponDesk.Features.Privacy;
using CouponDesk.TestSupport;
using Dapper;
using Microsoft.Extensions.DependencyInjection;

namespace CouponDesk.Tests.Reconciliation;

/// <summary>
/// The recipients' and messages' purge steps (spec §7.5–§7.6) in the purge registry: phones and names destroyed 90
/// days after the item finished — coupon used, cancelled or expired, or the campaign finished for an item without one —
/// and nothing earlier. Run through <see cref="PiiPurge"/> as the 03:00 job does.
/// </summary>
public sealed class PersonalDataPurgeTests(PersonalDataPurgeTests.Factory factory) : IClassFixture<PersonalDataPurgeTests.Factory>
{
    public sealed class Factory : CouponDeskFactory;

    [Fact]
    public async Task Destroys_phones_and_names_of_items_finished_more_than_90_days_ago_and_keeps_the_rest()
    {
        var data = new ReconciliationData(factory.Services);
        var now = DateTime.UtcNow;
        var longAgo = now.AddDays(-100);
        var recently = now.AddDays(-10);
        var longAgoDay = DateOnly.FromDateTime(longAgo);

        // Campaign A: used long ago (purge), used recently (keep), unused and valid (keep), expired long ago (purge).
        var a = await data.CampaignAsync(4, firstPhone: 300);
        var used = await data.CouponAsync(DailyReportTests.Number(), longAgo.AddDays(-5), "USED", longAgo);
        var usedRecently = await data.CouponAsync(DailyReportTests.Number(), longAgo, "USED", recently);
        var live = await data.CouponAsync(DailyReportTests.Number(), longAgo);
        var expired = await data.CouponAsync(DailyReportTests.Number(), longAgo.AddDays(-40), validUntil: longAgoDay);
        var items = new[]
        {
            await data.ItemAsync(a, 1, "SENT", used, everDelivered: true),
            await data.ItemAsync(a, 2, "SENT", usedRecently, everDelivered: true),
            await data.ItemAsync(a, 3, "SENT", live, everDelivered: true),
            await data.ItemAsync(a, 4, "SENT", expired, everDelivered: true),
        };
        var coupons = new[] { used, usedRecently, live, expired };
        var messages = new List<long>();
        for (var i = 0; i < 4; i++)
        {
            messages.Add(await data.MessageAsync(a, items[i], coupons[i], "COMPLETE", "SUCCESS", resultAt: longAgo));
        }

        // Campaign B: never got coupons; its run finished long ago (purge both). Campaign C: same but finished recently (keep).
        var b = await data.CampaignAsync(2, firstPhone: 310);
        await data.ItemAsync(b, 1, "ISSUE_FAILED", null);
        await data.ItemAsync(b, 2, "ISSUE_FAILED", null);
        var cRecent = await data.CampaignAsync(1, firstPhone: 320);
        await data.ItemAsync(cRecent, 1, "ISSUE_FAILED", null);
        // Campaign D: its list was replaced long ago and never used (purge); campaign E: a draft list from yesterday (keep).
        var d = await data.CampaignAsync(2, firstPhone: 330);
        var e = await data.CampaignAsync(1, firstPhone: 340);
        await using (var c = await factory.Database.OpenAsync())
        {
            await c.ExecuteAsync("INSERT INTO campaign_runs (campaign_id, item_count, started_at, finished_at, updated_at) VALUES (@b, 2, @longAgo, @longAgo, @longAgo), (@cRecent, 1, @recently, @recently, @recently)", new { b, cRecent, longAgo, recently });
            await c.ExecuteAsync("UPDATE campaigns SET status = 'FAILED', updated_at = @longAgo WHERE id = @b", new { b, longAgo });
            await c.ExecuteAsync("UPDATE campaigns SET status = 'FAILED', updated_at = @recently WHERE id = @cRecent", new { cRecent, recently });
            await c.ExecuteAsync("UPDATE recipient_lists SET status = 'REPLACED', created_at = @longAgo WHERE campaign_id = @d", new { d, longAgo });
            await c.ExecuteAsync("UPDATE recipient_lists SET status = 'STAGED', created_at = @yesterday WHERE campaign_id = @e", new { e, yesterday = now.AddDays(-1) });
            await c.ExecuteAsync("UPDATE recipient_list_rows r JOIN recipient_lists l ON l.id = r.list_id SET r.name_enc = r.phone_enc WHERE l.campaign_id = @a", new { a });
        }

        var purge = factory.Services.GetRequiredService<PiiPurge>();
        Assert.Contains("recipients.phone_name", purge.StepNames);
        Assert.Contains("messages.phone", purge.StepNames);

        var counts = await purge.RunAsync();

        Assert.Equal(2 + 2 + 2, counts["recipients.phone_name"]);
        Assert.Equal(2, counts["messages.phone"]);
        Assert.Equal([true, false, false, true], await PurgedRowsAsync(a));
        Assert.Equal([true, true], await PurgedRowsAsync(b));
        Assert.Equal([false], await PurgedRowsAsync(cRecent));
        Assert.Equal([true, true], await PurgedRowsAsync(d));
        Assert.Equal([false], await PurgedRowsAsync(e));
        await using (var c = await factory.Database.OpenAsync())
        {
            var phones = (await c.QueryAsync<bool>("SELECT phone_enc IS NULL FROM messages WHERE id IN @messages ORDER BY id", new { messages })).ToList();
            Assert.Equal([true, false, false, true], phones);
            // Names go with the phone; the row itself and the coupon's last 4 digits stay for the records.
            Assert.Equal(2, await c.ExecuteScalarAsync<int>("SELECT COUNT(*) FROM recipient_list_rows r JOIN recipient_lists l ON l.id = r.list_id WHERE l.campaign_id = @a AND r.name_enc IS NOT NULL", new { a }));
            Assert.Equal(4, await c.ExecuteScalarAsync<int>("SELECT COUNT(*) FROM recipient_list_rows r JOIN recipient_lists l ON l.id = r.list_id WHERE l.campaign_id = @a", new { a }));
        }

        var again = await purge.RunAsync();
        Assert.Equal(0, again["recipients.phone_name"]);
        Assert.Equal(0, again["messages.phone"]);
    }

    private async Task<List<bool>> PurgedRowsAsync(long campaignId)
    {
        await using var c = await factory.Database.OpenAsync();
        return [.. await c.QueryAsync<bool>(
            "SELECT r.phone_enc IS NULL AND r.phone_bidx IS NULL AND r.name_enc IS NULL FROM recipient_list_rows r JOIN recipient_lists l ON l.id = r.list_id WHERE l.campaign_id = @campaignId ORDER BY r.seq",
            new { campaignId })];
    }
}
