using CouponDesk.Features.Audit;
using CouponDesk.Features.Privacy;
using CouponDesk.Tests.Accounts;
using Dapper;
using Microsoft.Extensions.DependencyInjection;

namespace CouponDesk.Tests.Privacy;

/// <summary>Issue 17: a purge that fails part-way resumes the next day and counts only what it actually destroyed.</summary>
public sealed class PurgeResumeTests(PurgeResumeTests.Factory factory) : IClassFixture<PurgeResumeTests.Factory>
{
    public sealed class Factory : ClockedFactory;

    [Fact]
    public async Task A_purge_that_fails_part_way_counts_what_it_destroyed_and_the_next_run_finishes_without_counting_twice()
    {
        var now = factory.Clock.GetUtcNow().UtcDateTime;
        var first = await FinishedCampaignData.CreateAsync(factory.Services, 900, "이첫째", "첫 메모", now);
        var second = await FinishedCampaignData.CreateAsync(factory.Services, 910, "최둘째", "둘째 메모", now);
        await using var c = await factory.Database.OpenAsync();
        var secondList = await c.ExecuteScalarAsync<long>("SELECT recipient_list_id FROM campaigns WHERE id = @id", new { id = second.CampaignId });
        // A real failure in the middle of the step: the database refuses to destroy the second list's rows.
        await c.ExecuteAsync($"""
            CREATE TRIGGER purge_fails_midway BEFORE UPDATE ON recipient_list_rows FOR EACH ROW
            BEGIN IF NEW.list_id = {secondList} AND NEW.phone_enc IS NULL THEN SIGNAL SQLSTATE '45000' SET MESSAGE_TEXT = 'disk trouble'; END IF; END
            """);
        var purge = factory.Services.GetRequiredService<PiiPurge>();
        factory.Clock.Advance(TimeSpan.FromDays(91));
        try
        {
            var failed = await purge.RunAsync(PurgeSchedule.PersonalData);
            Assert.Equal(2, failed["recipients.phone_name"]);
            Assert.Equal(4, failed["coupons.number"]);
            var audit = await c.QuerySingleAsync<(string Outcome, string Reason)>("SELECT outcome, reason FROM audit_log WHERE action = @a ORDER BY id DESC LIMIT 1", new { a = AuditActions.PiiPurged });
            Assert.Equal(AuditOutcome.Failure, audit.Outcome);
            Assert.Contains("recipients.phone_name", audit.Reason);
        }
        finally
        {
            await c.ExecuteAsync("DROP TRIGGER IF EXISTS purge_fails_midway");
        }

        factory.Clock.Advance(TimeSpan.FromDays(1));
        var next = await purge.RunAsync(PurgeSchedule.PersonalData);
        Assert.Equal(2, next["recipients.phone_name"]);
        Assert.Equal(0, next["coupons.number"]);
        Assert.Equal(0, await c.ExecuteScalarAsync<int>("SELECT COUNT(*) FROM recipient_list_rows WHERE list_id = @secondList AND phone_enc IS NOT NULL", new { secondList }));
        Assert.Equal(0, await c.ExecuteScalarAsync<int>("SELECT COUNT(*) FROM recipient_list_rows r JOIN campaigns cp ON cp.recipient_list_id = r.list_id WHERE cp.id = @id AND r.phone_enc IS NOT NULL", new { id = first.CampaignId }));
    }
}
