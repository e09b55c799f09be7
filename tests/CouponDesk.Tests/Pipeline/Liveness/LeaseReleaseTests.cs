using CouponDesk.Features.Pipeline;
using CouponDesk.Hosting;
using CouponDesk.Hosting.Liveness;
using CouponDesk.TestSupport;
using Dapper;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace CouponDesk.Tests.Pipeline.Liveness;

/// <summary>
/// D-OPS-11 in one process: a dead process is stood for by a heartbeat row and leases carrying its owner prefix (what a
/// SIGKILLed worker leaves behind). The back office under test releases them when the row goes silent or when a
/// successor starts under the same instance name — long before the leases (an hour here) would run out.
/// </summary>
public sealed class LeaseReleaseTests
{
    [Fact]
    public async Task A_silent_process_is_fenced_and_its_order_in_flight_is_reclaimed_with_the_same_TR_ID()
    {
        await using var h = await PipelineHarness.StartAsync(roles: "web");
        var (order, executor) = await ClaimOneAsync(h);
        var dead = Guid.NewGuid().ToString("N");
        await HandToDeadProcessAsync(h, order.Id, dead, instanceName: null, beatSecondsAgo: 60);

        var again = await ReclaimAsync(executor, order.Id);

        Assert.Equal(order.TrId, again.TrId);
        Assert.True(again.AnswerLost); // the dead process may have sent the call: repeated with the same TR_ID only
        var row = await RowAsync(h, dead);
        Assert.Equal("silent", row.Reason);
        Assert.True(row.Released);
        await AssertNoLiveLeaseAsync(h, dead);
    }

    [Fact]
    public async Task A_successor_under_the_same_instance_name_frees_its_predecessors_claims_without_waiting_for_the_silence()
    {
        var name = "w" + Guid.NewGuid().ToString("N")[..8];
        // Silence alone would take 10 minutes here: only the successor rule can release the claims within the test.
        await using var h = await PipelineHarness.StartAsync("web", [new("Liveness:DeadAfterSeconds", "600")]);
        var (order, executor) = await ClaimOneAsync(h);
        var dead = Guid.NewGuid().ToString("N");
        await HandToDeadProcessAsync(h, order.Id, dead, name, beatSecondsAgo: 1);

        await using var successor = await StartBackOfficeAsync(h, name);
        var again = await ReclaimAsync(executor, order.Id);

        Assert.Equal(order.TrId, again.TrId);
        var row = await RowAsync(h, dead);
        Assert.Equal("successor", row.Reason);
        Assert.True(row.Released);
        await AssertNoLiveLeaseAsync(h, dead);
    }

    [Fact]
    public async Task A_row_the_dead_process_still_holds_in_a_transaction_is_skipped_and_released_once_that_transaction_ends()
    {
        await using var h = await PipelineHarness.StartAsync(roles: "web");
        var (order, executor) = await ClaimOneAsync(h);
        var dead = Guid.NewGuid().ToString("N");
        await HandToDeadProcessAsync(h, order.Id, dead, instanceName: null, beatSecondsAgo: 60);

        // A paused process's open transaction: it holds one of its own item rows.
        await using var paused = await h.Database.OpenAsync();
        await using var open = await paused.BeginTransactionAsync();
        var held = await paused.ExecuteScalarAsync<long>("SELECT id FROM delivery_items WHERE order_id = @id ORDER BY id LIMIT 1 FOR UPDATE", new { id = order.Id }, open);

        // The order itself is released (and claimable) although the item row is locked, and the reaper's beat goes on.
        var again = await ReclaimAsync(executor, order.Id);
        Assert.Equal(order.TrId, again.TrId);
        Assert.Equal("silent", (await RowNowAsync(h, dead)).Reason);
        Assert.False((await RowNowAsync(h, dead)).Released);
        Assert.True(h.BackOffice.Services.GetRequiredService<ProcessLiveness>().MayCall);

        await open.RollbackAsync();
        Assert.True((await RowAsync(h, dead)).Released);
        await using var c = await h.Database.OpenAsync();
        Assert.True(await c.ExecuteScalarAsync<DateTime>("SELECT lease_until FROM delivery_items WHERE id = @held", new { held }) < DateTime.UtcNow);
    }

    [Fact]
    public async Task A_process_its_peers_declared_dead_makes_no_more_create_calls_and_stops()
    {
        await using var h = await PipelineHarness.StartAsync(roles: "web");
        var liveness = h.BackOffice.Services.GetRequiredService<ProcessLiveness>();
        var identity = h.BackOffice.Services.GetRequiredService<ProcessIdentity>();
        Assert.True(liveness.MayCall);
        await using (var c = await h.Database.OpenAsync())
        {
            await c.ExecuteAsync("UPDATE worker_heartbeats SET fenced_at = UTC_TIMESTAMP(6), fence_reason = 'silent' WHERE instance_id = @id", new { id = identity.InstanceId });
        }

        var stopping = h.BackOffice.Services.GetRequiredService<IHostApplicationLifetime>().ApplicationStopping;
        await WaitAsync(() => Task.FromResult(liveness.IsFenced && stopping.IsCancellationRequested), "the fenced process to stop itself");
        Assert.False(liveness.MayCall);
        await Assert.ThrowsAsync<ProcessFencedException>(() => liveness.WaitUntilMayCallAsync(CancellationToken.None));
    }

    private static async Task<(OrderExecutor.ClaimedOrder Order, OrderExecutor Executor)> ClaimOneAsync(PipelineHarness h)
    {
        var services = h.BackOffice.Services;
        await h.ScheduleCampaignAsync(3);
        await services.GetRequiredService<CampaignLifecycle>().StepAsync(CancellationToken.None);
        Assert.Equal(3, await services.GetRequiredService<IssuancePlanner>().PlanAsync(CancellationToken.None));
        var executor = services.GetRequiredService<OrderExecutor>();
        return (Assert.Single(await executor.ClaimAsync(1, CancellationToken.None)), executor);
    }

    /// <summary>What a worker killed mid-call leaves: its heartbeat row, its order REQUESTED and an item, leased for an hour under its owner prefix.</summary>
    private static async Task HandToDeadProcessAsync(PipelineHarness h, long orderId, string instanceId, string? instanceName, int beatSecondsAgo)
    {
        var owner = instanceId[..ProcessIdentity.OwnerLength];
        await using var c = await h.Database.OpenAsync();
        await c.ExecuteAsync(
            """
            INSERT INTO worker_heartbeats (instance_id, instance_name, host_name, process_id, roles, started_at, beat_at)
            VALUES (@instanceId, @instanceName, 'dead-host', 1, 'worker', UTC_TIMESTAMP(6) - INTERVAL 1 HOUR, UTC_TIMESTAMP(6) - INTERVAL @beatSecondsAgo SECOND)
            """, new { instanceId, instanceName, beatSecondsAgo });
        var until = DateTime.UtcNow.AddHours(1);
        await c.ExecuteAsync("UPDATE issuance_orders SET lease_token = @token, lease_until = @until WHERE id = @orderId", new { token = owner + "0000000000000001", until, orderId });
        await c.ExecuteAsync("UPDATE delivery_items SET lease_token = @token, lease_until = @until WHERE order_id = @orderId", new { token = owner + "0000000000000002", until, orderId });
    }

    private static Task<LoopbackHost> StartBackOfficeAsync(PipelineHarness h, string instanceName) =>
        LoopbackHost.StartAsync(args => CouponDeskHost.Build(args),
        [
            new("environment", "Testing"),
            .. TestSettings.BackOffice(h.Database, h.Scratch),
            .. PipelineHarness.PipelineSettings(h.Coufun.BaseUrl),
            new("Liveness:InstanceName", instanceName),
            new("Liveness:DeadAfterSeconds", "600"),
        ]);

    private static async Task<OrderExecutor.ClaimedOrder> ReclaimAsync(OrderExecutor executor, long orderId)
    {
        OrderExecutor.ClaimedOrder? again = null;
        await WaitAsync(async () => (again = (await executor.ClaimAsync(1, CancellationToken.None)).SingleOrDefault()) is not null, "the order to be claimable again");
        Assert.Equal(orderId, again!.Id);
        return again;
    }

    /// <summary>The dead process's row once its release is recorded (right after the leases themselves).</summary>
    private static async Task<(string? Reason, bool Released)> RowAsync(PipelineHarness h, string instanceId)
    {
        await using var c = await h.Database.OpenAsync();
        (string? Reason, bool Released) row = default;
        await WaitAsync(async () => (row = await c.QuerySingleAsync<(string?, bool)>(
            "SELECT fence_reason, leases_released_at IS NOT NULL FROM worker_heartbeats WHERE instance_id = @instanceId", new { instanceId })).Released, "the release recorded");
        return row;
    }

    private static async Task<(string? Reason, bool Released)> RowNowAsync(PipelineHarness h, string instanceId)
    {
        await using var c = await h.Database.OpenAsync();
        return await c.QuerySingleAsync<(string?, bool)>(
            "SELECT fence_reason, leases_released_at IS NOT NULL FROM worker_heartbeats WHERE instance_id = @instanceId", new { instanceId });
    }

    private static async Task AssertNoLiveLeaseAsync(PipelineHarness h, string instanceId)
    {
        await using var c = await h.Database.OpenAsync();
        var prefix = instanceId[..ProcessIdentity.OwnerLength] + "%";
        Assert.Equal(0, await c.ExecuteScalarAsync<int>(
            "SELECT (SELECT COUNT(*) FROM delivery_items WHERE lease_token LIKE @prefix AND lease_until > UTC_TIMESTAMP(6)) + (SELECT COUNT(*) FROM issuance_orders WHERE lease_token LIKE @prefix AND lease_until > UTC_TIMESTAMP(6))",
            new { prefix }));
    }

    private static async Task WaitAsync(Func<Task<bool>> condition, string what)
    {
        for (var i = 0; i < 600; i++)
        {
            if (await condition())
            {
                return;
            }

            await Task.Delay(100);
        }

        throw new TimeoutException($"never saw {what}");
    }
}
