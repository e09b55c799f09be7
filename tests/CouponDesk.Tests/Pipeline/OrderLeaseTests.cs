using CouponDesk.Features.Pipeline;
using Dapper;
using Microsoft.Extensions.DependencyInjection;

namespace CouponDesk.Tests.Pipeline;

/// <summary>
/// D-PIPE-23: a worker that reaches its COUFUN call long after the claim (starved, paused by the OS) renews its lease
/// first, and does not call at all when another worker has taken the order over — that worker calls with the same
/// TR_ID. The steps are driven by hand (web role only, no worker loops) so the timing is ours.
/// </summary>
public sealed class OrderLeaseTests
{
    [Fact]
    public async Task A_late_call_whose_order_was_taken_over_is_not_made()
    {
        await using var h = await PipelineHarness.StartAsync(roles: "web");
        var (order, executor) = await ClaimOneAsync(h);
        await using (var c = await h.Database.OpenAsync())
        {
            // What a second worker's claim does to an expired lease: a new token.
            await c.ExecuteAsync("UPDATE issuance_orders SET lease_token = 'taken-over-by-another-worker' WHERE id = @Id", new { order.Id });
        }

        await executor.ExecuteAsync(order with { ClaimedAt = order.ClaimedAt.AddMinutes(-5) }, CancellationToken.None);

        Assert.Equal(0, (await h.Coufun.CountersAsync(order.TrId)).Calls);
        await using var check = await h.Database.OpenAsync();
        Assert.Equal("REQUESTED", await check.ExecuteScalarAsync<string>("SELECT status FROM issuance_orders WHERE id = @Id", new { order.Id }));
    }

    [Fact]
    public async Task A_late_call_still_holding_its_lease_renews_it_and_buys_once()
    {
        await using var h = await PipelineHarness.StartAsync(roles: "web");
        var (order, executor) = await ClaimOneAsync(h);

        await executor.ExecuteAsync(order with { ClaimedAt = order.ClaimedAt.AddMinutes(-5) }, CancellationToken.None);

        var counters = await h.Coufun.CountersAsync(order.TrId);
        Assert.Equal(1, counters.Calls);
        Assert.Equal(order.CreateCnt, counters.Coupons);
        await using var c = await h.Database.OpenAsync();
        Assert.Equal("SUCCEEDED", await c.ExecuteScalarAsync<string>("SELECT status FROM issuance_orders WHERE id = @Id", new { order.Id }));
    }

    private static async Task<(OrderExecutor.ClaimedOrder Order, OrderExecutor Executor)> ClaimOneAsync(PipelineHarness h)
    {
        var services = h.BackOffice.Services;
        await h.ScheduleCampaignAsync(3);
        await services.GetRequiredService<CampaignLifecycle>().StepAsync(CancellationToken.None);
        Assert.Equal(3, await services.GetRequiredService<IssuancePlanner>().PlanAsync(CancellationToken.None));
        var executor = services.GetRequiredService<OrderExecutor>();
        var order = Assert.Single(await executor.ClaimAsync(1, CancellationToken.None));
        return (order, executor);
    }
}
