using System.Diagnostics;
using System.Globalization;
using CouponDesk.Shared.Snap;
using Dapper;
using Xunit.Abstractions;

namespace CouponDesk.Tests.Pipeline.Faults;

/// <summary>
/// Issue 22 scenario 6: the send time falls just before a KST midnight that is also a month change, and the agent sends
/// across it, so the finished rows move to two month tables (<c>UMS_LOG_YYYYMM</c> of the old and of the new month)
/// during the campaign. The back office and the SNAP stand-in both live at that date by the same offset
/// (<c>Testing:ClockOffsetSeconds</c>, <c>Agent:ClockOffsetSeconds</c>; time passes at its real pace): the campaign is a
/// reservation for 23:59:40 KST on the last day of the current month, the agent sends it at once and its results come
/// back over the next 40 s.
/// Every result must still be found — the campaign completes with the common witnesses, nothing timed out — and both month
/// tables must hold some of its rows (the switch really happened mid-campaign).
/// </summary>
public sealed class MonthChangeFaultTest(ITestOutputHelper output)
{
    [Fact]
    [Trait("Category", FaultSuite.Category)]
    public async Task Results_of_a_campaign_sent_across_a_kst_midnight_and_month_change_are_all_found()
    {
        var recipients = FaultSuite.Recipients(300);
        var realKst = DateTime.UtcNow.AddHours(9);
        var midnightKst = new DateTime(realKst.Year, realKst.Month, 1, 0, 0, 0, DateTimeKind.Unspecified).AddMonths(1);
        // Our "now" at the start: long enough before that midnight to issue, draw and queue the campaign (100 s for the
        // short form, more for a large one); the send time 20 s before it.
        var offset = (int)(midnightKst.AddSeconds(-(100 + (recipients / 25))) - realKst).TotalSeconds;
        var offsetText = offset.ToString(CultureInfo.InvariantCulture);
        await using var h = await PipelineHarness.StartAsync(null, "web,worker",
        [
            new("Agent:ClockOffsetSeconds", offsetText),
            // The agent sends the whole batch at once; its results come back spread over 40 s, so rows finish — and
            // move to their month table — on both sides of midnight.
            new("Agent:DeliveryDelayMinMs", "0"),
            new("Agent:DeliveryDelayMaxMs", "40000"),
            new("Agent:KeepCompleteMs", "0"),
        ],
        [
            new("Testing:ClockOffsetSeconds", offsetText),
        ]);
        var clock = Stopwatch.StartNew();
        var sendAtUtc = DateTime.SpecifyKind(midnightKst.AddSeconds(-20).AddHours(-9), DateTimeKind.Utc);
        var id = await h.ScheduleCampaignAsync(recipients, sendAtUtc: sendAtUtc);

        var final = await h.WaitForAsync(id, FaultSuite.CampaignSeconds(recipients, 120), "COMPLETED", "PARTIALLY_FAILED", "FAILED", "ERROR", "CANCELLED");
        var w = await PipelineWitness.ReadAsync(h.Database, h.Coufun, id);
        var oldMonth = UmsTableDdl.LogTableName(UmsTableDdl.DefaultLogTablePrefix, midnightKst.AddDays(-1).Year, midnightKst.AddDays(-1).Month);
        var newMonth = UmsTableDdl.LogTableName(UmsTableDdl.DefaultLogTablePrefix, midnightKst.Year, midnightKst.Month);
        var inOld = await RowsInAsync(h, oldMonth, id);
        var inNew = await RowsInAsync(h, newMonth, id);
        FaultSuite.Record(output, "6. Send time across a KST midnight and month change", recipients, w, clock.Elapsed, "none expected");
        output.WriteLine($"rows in {oldMonth}: {inOld}, in {newMonth}: {inNew}");

        Assert.Equal("COMPLETED", final);
        w.AssertCommon(recipients);
        await using (var c = await h.Database.OpenAsync())
        {
            Assert.Equal(0, await c.ExecuteScalarAsync<int>("SELECT COUNT(*) FROM messages WHERE campaign_id = @id AND (outcome IS NULL OR outcome <> 'SUCCESS')", new { id }));
        }

        Assert.True(inOld > 0, $"no row moved to {oldMonth}: the agent finished nothing before midnight");
        Assert.True(inNew > 0, $"no row moved to {newMonth}: the agent finished everything before midnight");
    }

    private static async Task<int> RowsInAsync(PipelineHarness h, string table, long id)
    {
        await using var c = await h.Database.OpenAsync();
        var exists = await c.ExecuteScalarAsync<int>(
            "SELECT COUNT(*) FROM information_schema.TABLES WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = @table", new { table });
        return exists == 0
            ? 0
            : await c.ExecuteScalarAsync<int>(
                $"SELECT COUNT(*) FROM {UmsTableDdl.Quote(table)} l JOIN messages m ON m.client_key = l.CLIENT_KEY COLLATE utf8mb4_unicode_ci WHERE m.campaign_id = @id",
                new { id });
    }
}
