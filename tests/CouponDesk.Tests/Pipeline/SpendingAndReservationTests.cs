using CouponDesk.Features.Pipeline;
using CouponDesk.Shared.Time;
using Dapper;
using Microsoft.Extensions.DependencyInjection;

namespace CouponDesk.Tests.Pipeline;

/// <summary>
/// The spending guard (D-PIPE-3) and the reservation rule of spec §5.1 (REQ_DATE = the send time while it is ahead, else
/// now), against both stand-ins: the COUFUN stand-in's per-TR_ID counters and the agent's own UMS_MSG rows.
/// </summary>
public sealed class SpendingAndReservationTests
{
    [Fact]
    public async Task A_campaign_whose_issued_value_would_pass_its_estimate_stops_with_the_reason_and_buys_no_more()
    {
        await using var h = await PipelineHarness.StartAsync();
        var options = h.BackOffice.Services.GetRequiredService<PipelineOptions>();
        var plannedPerRound = options.CouponsPerOrder * options.IssueConcurrency * 2;
        // Approved for exactly one planning round: the second round would pass the estimate.
        var id = await h.ScheduleCampaignAsync(plannedPerRound + 20, costEstimate: plannedPerRound * 4500L);

        Assert.Equal("ERROR", await h.WaitForAsync(id, 60, "ERROR", "COMPLETED", "PARTIALLY_FAILED", "FAILED"));
        var progress = await h.BackOffice.Services.GetRequiredService<PipelineProgress>().GetAsync(id, CancellationToken.None);
        Assert.Equal("SPENDING_GUARD", progress!.StopCode);
        Assert.Contains("승인된 예상 금액", progress.StopReason, StringComparison.Ordinal);

        // Orders already being called when the guard stopped the campaign finish (their coupons are stored); planned
        // ones wait, uncalled, for a person (D-PIPE-6). Wait until no call is in flight, then read the witnesses.
        await using var c = await h.Database.OpenAsync();
        for (var i = 0; i < 600 && await c.ExecuteScalarAsync<int>("SELECT COUNT(*) FROM issuance_orders WHERE campaign_id = @id AND status = 'REQUESTED'", new { id }) > 0; i++)
        {
            await Task.Delay(100);
        }

        var w = await PipelineWitness.ReadAsync(h.Database, h.Coufun, id);
        Assert.True(w.CouponsBoughtAtCoufun <= plannedPerRound, $"bought {w.CouponsBoughtAtCoufun} > {plannedPerRound}");
        Assert.Equal(w.CouponsStored, w.CouponsBoughtAtCoufun);
        // Everyone without a stored coupon waits with nothing bought: PENDING, or ISSUING in an order never called.
        var pending = await c.ExecuteScalarAsync<int>("SELECT COUNT(*) FROM delivery_items WHERE campaign_id = @id AND status = 'PENDING' AND coupon_id IS NULL", new { id });
        var uncalled = await c.ExecuteScalarAsync<int>(
            "SELECT COUNT(*) FROM delivery_items d JOIN issuance_orders o ON o.id = d.order_id WHERE d.campaign_id = @id AND d.status = 'ISSUING' AND o.status = 'PLANNED' AND o.calls = 0", new { id });
        Assert.True(pending >= 20);
        Assert.Equal(plannedPerRound + 20, pending + uncalled + w.CouponsStored);
        var value = await c.ExecuteScalarAsync<long>(
            "SELECT COALESCE(SUM(create_cnt * unit_price), 0) FROM issuance_orders WHERE campaign_id = @id AND status NOT IN ('FAILED', 'SETTLED_NOT_ISSUED')", new { id });
        Assert.True(value <= plannedPerRound * 4500L);
    }

    [Fact]
    public async Task Messages_of_a_campaign_started_before_its_send_time_are_reserved_for_it_in_KST()
    {
        await using var h = await PipelineHarness.StartAsync();
        using var snap = h.Snap.CreateClient();
        (await snap.PostAsync("_control/pause", null)).EnsureSuccessStatusCode();
        var sendAt = DateTime.UtcNow.AddMinutes(30);
        sendAt = new DateTime(sendAt.Ticks - (sendAt.Ticks % TimeSpan.TicksPerSecond), DateTimeKind.Utc).AddMilliseconds(400);
        var id = await h.ScheduleCampaignAsync(12, sendAtUtc: sendAt);

        await WaitForQueuedAsync(h, id, 12);

        Assert.Equal("ISSUING", await h.StatusAsync(id));
        var reqDates = await ReqDatesAsync(h, id);
        Assert.Equal(12, reqDates.Count);
        var expected = Kst.ToKst(sendAt.AddMilliseconds(600)); // rounded up to the whole second, never earlier
        Assert.All(reqDates, d => Assert.Equal(expected, d));

        // The rates of the run are recorded once everything is queued (spec §5.1's measured R) — by the worker's next
        // step, so the test waits for them (up to 30 s) rather than reading at the moment the last item is queued.
        await using var c = await h.Database.OpenAsync();
        (DateTime? Issued, DateTime? Queued, double? IssueRate, double? QueueRate) run = default;
        for (var waited = 0; waited < 300 && (run.Issued is null || run.Queued is null); waited++)
        {
            run = await c.QuerySingleAsync<(DateTime?, DateTime?, double?, double?)>(
                "SELECT all_issued_at, all_queued_at, issued_per_minute, queued_per_minute FROM campaign_runs WHERE campaign_id = @id", new { id });
            if (run.Issued is null || run.Queued is null)
            {
                await Task.Delay(100);
            }
        }

        Assert.NotNull(run.Issued);
        Assert.NotNull(run.Queued);
        Assert.True(run.IssueRate > 0);
        Assert.True(run.QueueRate > 0);
        Assert.True(run.Queued >= run.Issued);
    }

    [Fact]
    public async Task Messages_of_a_campaign_started_after_its_send_time_carry_now()
    {
        await using var h = await PipelineHarness.StartAsync();
        using var snap = h.Snap.CreateClient();
        (await snap.PostAsync("_control/pause", null)).EnsureSuccessStatusCode();
        var sendAt = DateTime.UtcNow.AddMinutes(-20); // the service was down at the send time (within the 2 h window)
        var before = await DatabaseNowAsync(h);
        var id = await h.ScheduleCampaignAsync(12, sendAtUtc: sendAt);

        await WaitForQueuedAsync(h, id, 12);
        var after = await DatabaseNowAsync(h);

        Assert.Equal("SENDING", await h.StatusAsync(id));
        var reqDates = await ReqDatesAsync(h, id);
        Assert.Equal(12, reqDates.Count);
        Assert.All(reqDates, d => Assert.InRange(d, before.AddSeconds(-1), after.AddSeconds(1)));
        Assert.All(reqDates, d => Assert.True(d > Kst.ToKst(sendAt).AddMinutes(10)));
    }

    private static async Task<DateTime> DatabaseNowAsync(PipelineHarness h)
    {
        await using var c = await h.Database.OpenAsync();
        return await c.ExecuteScalarAsync<DateTime>("SELECT NOW()");
    }

    private static async Task<List<DateTime>> ReqDatesAsync(PipelineHarness h, long id)
    {
        await using var c = await h.Database.OpenAsync();
        return (await c.QueryAsync<DateTime>("SELECT REQ_DATE FROM UMS_MSG WHERE CAMPAIGN_ID = @cid", new { cid = id.ToString(System.Globalization.CultureInfo.InvariantCulture) })).ToList();
    }

    private static async Task WaitForQueuedAsync(PipelineHarness h, long id, int count)
    {
        for (var i = 0; i < 600; i++)
        {
            await using var c = await h.Database.OpenAsync();
            if (await c.ExecuteScalarAsync<int>("SELECT COUNT(*) FROM delivery_items WHERE campaign_id = @id AND status = 'QUEUED'", new { id }) == count)
            {
                return;
            }

            await Task.Delay(100);
        }

        throw new TimeoutException($"campaign {id}: {count} items not queued in 60 s");
    }
}
