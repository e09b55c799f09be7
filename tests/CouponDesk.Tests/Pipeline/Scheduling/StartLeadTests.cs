using CouponDesk.Features.Campaigns;
using CouponDesk.Features.Campaigns.Scheduling;
using CouponDesk.Features.Pipeline;
using CouponDesk.Features.Pipeline.Scheduling;

namespace CouponDesk.Tests.Pipeline.Scheduling;

/// <summary>
/// The start lead of spec §5.1 from measured throughput (history rows inserted), the queue ahead, the starter moving a
/// start earlier, and registration computing the same lead. Each test uses send times far apart from the others'.
/// </summary>
public sealed class StartLeadTests(SchedulingFactory f) : IClassFixture<SchedulingFactory>
{
    [Fact]
    public void The_formula_is_the_specs_with_its_minimum()
    {
        Assert.Equal(TimeSpan.FromMinutes(20), StartLead.Compute(1000, 100, TimeSpan.FromMinutes(10)));
        Assert.Equal(TimeSpan.FromMinutes(10), StartLead.Compute(10, 2000, TimeSpan.FromMinutes(10)));
        Assert.Equal(200, PreparationRates.Median([100, 200, 300, 10_000, 50]));
        Assert.Equal(250, PreparationRates.Median([100, 200, 300, 10_000]));
    }

    [Fact]
    public async Task The_rate_is_the_median_of_the_last_five_measured_runs()
    {
        // The oldest (1/min) is the sixth and ignored; a run still in progress has no rate and is ignored.
        await f.SetHistoryAsync(1, 100, 200, 300, 10_000, 50);
        await f.ExecuteAsync("INSERT INTO campaign_runs (campaign_id, item_count, started_at, updated_at) VALUES (999999, 5, @now, @now)", new { now = DateTime.UtcNow });

        var lead = await f.Get<StartLeadCalculator>().ForAsync(1000, DateTime.UtcNow.AddDays(60), null, CancellationToken.None);

        Assert.True(lead.Measured);
        Assert.Equal(200, lead.RatePerMinute);
        Assert.Equal(0, lead.QueueAheadItems);
        Assert.Equal(TimeSpan.FromMinutes(12.5), lead.Lead); // 1.5 × 1000 ÷ 200 + 5
    }

    [Fact]
    public async Task Without_history_the_configured_rate_and_the_minimum_apply()
    {
        await f.SetHistoryAsync();

        var lead = await f.Get<StartLeadCalculator>().ForAsync(1000, DateTime.UtcNow.AddDays(61), null, CancellationToken.None);

        Assert.False(lead.Measured);
        Assert.Equal(f.Get<CampaignOptions>().PreparationRatePerMinute, lead.RatePerMinute);
        Assert.Equal(TimeSpan.FromMinutes(10), lead.Lead); // 1.5 × 1000 ÷ 2000 + 5 = 5.75 < 10
    }

    [Fact]
    public async Task Campaigns_prepared_in_the_same_window_are_the_queue_ahead()
    {
        await f.SetHistoryAsync(100, 100, 100, 100, 100);
        var t = DateTime.UtcNow.AddDays(40);
        var other = await f.ScheduleAsync(2, sendAtUtc: t, startAtUtc: t.AddMinutes(-20), counted: 500);
        var calculator = f.Get<StartLeadCalculator>();

        var overlapping = await calculator.ForAsync(1000, t.AddMinutes(5), null, CancellationToken.None);
        var later = await calculator.ForAsync(1000, t.AddDays(1), null, CancellationToken.None);
        var itself = await calculator.ForAsync(500, t, other, CancellationToken.None);

        // Own 20 min window [t−15, t+5] overlaps the other's [t−20, t] → N = 1,500 → 1.5 × 1500 ÷ 100 + 5.
        Assert.Equal(500, overlapping.QueueAheadItems);
        Assert.Equal(TimeSpan.FromMinutes(27.5), overlapping.Lead);
        Assert.Equal(0, later.QueueAheadItems);
        Assert.Equal(TimeSpan.FromMinutes(20), later.Lead);
        Assert.Equal(0, itself.QueueAheadItems);
    }

    [Fact]
    public async Task The_starter_moves_a_start_earlier_when_measured_throughput_needs_it_and_starts_the_campaign()
    {
        await f.SetHistoryAsync(100, 100, 100, 100, 100);
        var sendAt = DateTime.UtcNow.AddMinutes(30);
        // Registered with a fast default rate: start 5 min before sending. Measured, 3,000 items need 50 min.
        var id = await f.ScheduleAsync(5, sendAtUtc: sendAt, startAtUtc: sendAt.AddMinutes(-5), counted: 3000);

        var moved = await f.Get<StartPlanner>().ReplanAsync(CancellationToken.None);
        var startAt = await f.ScalarAsync<DateTime>("SELECT start_at FROM campaigns WHERE id = @id", new { id });
        await f.Get<CampaignLifecycle>().StepAsync(CancellationToken.None);

        Assert.True(moved >= 1);
        Assert.True(startAt <= DateTime.UtcNow);
        Assert.Equal("ISSUING", await f.ScalarAsync<string>("SELECT status FROM campaigns WHERE id = @id", new { id }));
        Assert.Equal(5, await f.ScalarAsync<int>("SELECT item_count FROM campaign_runs WHERE campaign_id = @id", new { id }));
    }

    [Fact]
    public async Task A_start_never_moves_later_and_is_not_started_before_its_time()
    {
        await f.SetHistoryAsync();
        var sendAt = DateTime.UtcNow.AddDays(20).AddHours(3);
        var startAt = sendAt.AddHours(-1); // an earlier, slower estimate
        var id = await f.ScheduleAsync(5, sendAtUtc: sendAt, startAtUtc: startAt, counted: 100);

        await f.Get<StartPlanner>().ReplanAsync(CancellationToken.None);
        await f.Get<CampaignLifecycle>().StepAsync(CancellationToken.None);

        Assert.Equal(startAt, await f.ScalarAsync<DateTime>("SELECT start_at FROM campaigns WHERE id = @id", new { id }), TimeSpan.FromMilliseconds(1));
        Assert.Equal("SCHEDULED", await f.ScalarAsync<string>("SELECT status FROM campaigns WHERE id = @id", new { id }));
    }

    [Fact]
    public async Task Registration_uses_the_same_calculator_as_the_starter()
    {
        await f.SetHistoryAsync(100, 100, 100, 100, 100);
        var rules = f.Get<SendTimeRules>();
        var calculator = f.Get<StartLeadCalculator>();
        var sendAt = DateTime.UtcNow.AddDays(70);

        var (earliest, lead) = await calculator.EarliestAsync(3000, CancellationToken.None);
        Assert.Equal(earliest, await rules.EarliestUtcAsync(3000, CancellationToken.None), TimeSpan.FromMinutes(1));
        Assert.True(lead.Lead >= TimeSpan.FromMinutes(50)); // 1.5 × 3000 ÷ 100 + 5
        Assert.Equal((await calculator.ForAsync(3000, sendAt, null, CancellationToken.None)).Lead, (await rules.LeadAsync(3000, sendAt, CancellationToken.None)).Lead);

        var tooEarly = await rules.CheckAsync(DateTime.UtcNow.AddMinutes(40), 3000, nightConfirmed: true, CancellationToken.None);
        var scheduledAt = Assert.Single(tooEarly, e => e.Field == "scheduledAt");
        Assert.Contains("발송 준비에 약 5", scheduledAt.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(await rules.CheckAsync(DateTime.UtcNow.AddHours(2), 3000, nightConfirmed: true, CancellationToken.None), e => e.Field == "scheduledAt");
    }
}
