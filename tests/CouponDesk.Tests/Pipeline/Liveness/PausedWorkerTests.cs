using System.Diagnostics;
using CouponDesk.Hosting.Liveness;
using Dapper;
using Xunit.Abstractions;

namespace CouponDesk.Tests.Pipeline.Liveness;

/// <summary>
/// Issue 23: a slow but alive process never loses its claims to another, and one paused so long that the others
/// declared it dead never acts on them after it resumes. Two real worker processes share a campaign; one is paused with
/// SIGSTOP while it has create calls in flight, then continued with SIGCONT. Leases (60 s) are far longer than the
/// pauses: only the liveness rules (D-OPS-11) decide who holds what during them. A paused process also keeps its open
/// transactions (and their row locks) until it runs again, so the long-pause test resumes it once its claims were taken.
/// </summary>
public sealed class PausedWorkerTests(ITestOutputHelper output)
{
    private const int Recipients = 200;

    [Fact]
    [Trait("Category", "KillTest")]
    public async Task A_worker_paused_for_less_than_the_dead_time_keeps_its_claims_and_finishes_them()
    {
        await using var h = await PipelineHarness.StartAsync(roles: "web");
        var (env, id) = await PrepareAsync(h, deadAfterSeconds: 30);
        var a = WorkerProcesses.Start(env, ("Liveness:InstanceName", "pause-a"));
        var b = WorkerProcesses.Start(env, ("Liveness:InstanceName", "pause-b"));
        try
        {
            var owner = await OwnerInFlightAsync(h, "pause-a");
            await WorkerProcesses.Pause(a);
            await Task.Delay(TimeSpan.FromSeconds(3)); // a long GC pause, a starved VM: far below the 30 s dead time
            await WorkerProcesses.Resume(a);

            Assert.Equal("COMPLETED", await h.WaitForAsync(id, 180, "COMPLETED", "PARTIALLY_FAILED", "FAILED", "ERROR"));
            await using var c = await h.Database.OpenAsync();
            Assert.Null(await FenceReasonAsync(h, owner));
            // No order was taken over: every TR_ID was called exactly once, and nothing is in doubt.
            Assert.Equal(0, await c.ExecuteScalarAsync<int>("SELECT COUNT(*) FROM issuance_orders WHERE campaign_id = @id AND (calls <> 1 OR status <> 'SUCCEEDED')", new { id }));
            var w = await PipelineWitness.ReadAsync(h.Database, h.Coufun, id);
            output.WriteLine(w.ToString());
            Assert.Equal(Recipients, w.CouponsBoughtAtCoufun);
            Assert.Equal(0, w.RecipientsDeliveredTwice);
            Assert.Equal(Recipients, w.SentItems);
        }
        finally
        {
            await WorkerProcesses.StopAsync(a);
            await WorkerProcesses.StopAsync(b);
        }
    }

    [Fact]
    [Trait("Category", "KillTest")]
    public async Task A_worker_paused_past_the_dead_time_loses_its_claims_and_on_resuming_stops_without_calling()
    {
        await using var h = await PipelineHarness.StartAsync(roles: "web");
        var (env, id) = await PrepareAsync(h, deadAfterSeconds: 6);
        var a = WorkerProcesses.Start(env, ("Liveness:InstanceName", "pause-a"));
        Process? b = null;
        try
        {
            var owner = await OwnerInFlightAsync(h, "pause-a");
            await WorkerProcesses.Pause(a);
            // What COUFUN had seen of A's orders when A stopped (after the stand-in's latency, so requests already on
            // the wire are counted): nothing more may come from A.
            await Task.Delay(TimeSpan.FromSeconds(1.5));
            var callsAtPause = await CallsOfOwnerAsync(h, owner);
            output.WriteLine($"A held {callsAtPause.Count} order(s) in flight");
            b = WorkerProcesses.Start(env, ("Liveness:InstanceName", "pause-b"));
            // B declares A dead, releases its claims and calls A's orders itself, all while A is still paused.
            await WaitAsync(async () => await FenceReasonAsync(h, owner) == "silent", "A declared dead", 120);
            // An order row A holds in a transaction it left open when it froze cannot be taken until A runs again (its
            // commit or rollback decides it); every other order of A is taken over while A is paused.
            var takenOver = await WaitAsync(async () => (await CallsOfOwnerAsync(h, owner, requireAny: false)).Count == 0, 60);
            output.WriteLine(takenOver ? "all of A's orders taken over while it was paused" : $"{(await CallsOfOwnerAsync(h, owner, requireAny: false)).Count} order(s) still locked by A's open transaction");

            await WorkerProcesses.Resume(a);
            using (var bounded = new CancellationTokenSource(TimeSpan.FromSeconds(90)))
            {
                await a.WaitForExitAsync(bounded.Token); // it finds itself fenced at its first beat and stops
            }

            // Every claim of A is released: its orders at once (above); rows A had locked in an open transaction when it
            // was paused only once that transaction ended, so the release is complete only after A resumed.
            await WaitAsync(async () => await LeasesReleasedAsync(h, owner), "A's release completed", 60);

            Assert.Equal("COMPLETED", await h.WaitForAsync(id, 180, "COMPLETED", "PARTIALLY_FAILED", "FAILED", "ERROR"));

            // B called each of A's orders once more with the same TR_ID (it could not know whether A's call went out).
            // A, resumed, started no call: its first beat found it fenced. A call it may still send is one it had
            // checked and begun before the pause froze it short of the wire (no check can close that gap); it carries
            // the same TR_ID, so COUFUN answers it as a duplicate or B's call is — never a second purchase (the witness
            // below: every coupon bought is held or listed in doubt).
            var finalCalls = await StandInCallsAsync(h, callsAtPause.Keys);
            Assert.All(callsAtPause, kv => Assert.InRange(finalCalls[kv.Key], kv.Value + 1, kv.Value + 2));
            var w = await PipelineWitness.ReadAsync(h.Database, h.Coufun, id);
            output.WriteLine(w.ToString());
            Assert.Equal(Recipients, w.SentItems);
            Assert.Equal(0, w.RecipientsDeliveredTwice);
            Assert.Equal(Recipients, w.CouponsBoughtForSucceededOrders);
            Assert.Equal(w.CouponsBoughtAtCoufun, w.CouponsBoughtForSucceededOrders + w.CouponsBoughtForInDoubtOrders);
            Assert.Equal(0, w.StoredCouponsHeldByNobody);
        }
        finally
        {
            await WorkerProcesses.StopAsync(a);
            await WorkerProcesses.StopAsync(b);
        }
    }

    private static async Task<(Dictionary<string, string> Env, long CampaignId)> PrepareAsync(PipelineHarness h, int deadAfterSeconds)
    {
        // Slow answers, so that a worker always has calls in flight.
        await h.Coufun.SetFaultsAsync(new { endpoints = new[] { "create" }, latencyMinMs = 400, latencyMaxMs = 800 });
        var env = WorkerProcesses.Environment(h,
            ("Coufun:RequestTimeoutSeconds", "60"),
            ("Pipeline:LeaseSeconds", "60"),
            ("Pipeline:CouponsPerOrder", "2"),
            ("Pipeline:SpendingMarginPercent", "100"),
            ("Liveness:SelfFenceSeconds", "3"),
            ("Liveness:ReleaseMarginSeconds", "1"),
            ("Liveness:DeadAfterSeconds", deadAfterSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture)));
        return (env, await h.ScheduleCampaignAsync(Recipients));
    }

    /// <summary>Waits until the named worker has an order in flight; returns its owner prefix.</summary>
    private static async Task<string> OwnerInFlightAsync(PipelineHarness h, string instanceName)
    {
        await using var c = await h.Database.OpenAsync();
        for (var i = 0; i < 1200; i++)
        {
            var owner = await c.ExecuteScalarAsync<string?>(
                """
                SELECT LEFT(w.instance_id, @n) FROM worker_heartbeats w
                WHERE w.instance_name = @instanceName AND w.fenced_at IS NULL
                  AND EXISTS (SELECT 1 FROM issuance_orders o WHERE o.status = 'REQUESTED' AND o.lease_token LIKE CONCAT(LEFT(w.instance_id, @n), '%'))
                """, new { instanceName, n = ProcessIdentity.OwnerLength });
            if (owner is not null)
            {
                return owner;
            }

            await Task.Delay(50);
        }

        throw new TimeoutException($"{instanceName} never had an order in flight");
    }

    /// <summary>Stand-in call counts of the orders still REQUESTED under <paramref name="owner"/>'s leases.</summary>
    private static async Task<Dictionary<string, int>> CallsOfOwnerAsync(PipelineHarness h, string owner, bool requireAny = true)
    {
        await using var c = await h.Database.OpenAsync();
        var trIds = (await c.QueryAsync<string>("SELECT tr_id FROM issuance_orders WHERE status = 'REQUESTED' AND lease_token LIKE @p", new { p = owner + "%" })).ToList();
        Assert.True(!requireAny || trIds.Count > 0, "the paused worker held no order in flight");
        return await StandInCallsAsync(h, trIds);
    }

    private static async Task<string?> FenceReasonAsync(PipelineHarness h, string owner)
    {
        await using var c = await h.Database.OpenAsync();
        return await c.ExecuteScalarAsync<string?>("SELECT fence_reason FROM worker_heartbeats WHERE instance_id LIKE @p", new { p = owner + "%" });
    }

    private static async Task<bool> LeasesReleasedAsync(PipelineHarness h, string owner)
    {
        await using var c = await h.Database.OpenAsync();
        return await c.ExecuteScalarAsync<bool>("SELECT leases_released_at IS NOT NULL FROM worker_heartbeats WHERE instance_id LIKE @p", new { p = owner + "%" });
    }

    private static async Task<bool> WaitAsync(Func<Task<bool>> condition, int seconds)
    {
        for (var i = 0; i < seconds * 4; i++)
        {
            if (await condition())
            {
                return true;
            }

            await Task.Delay(250);
        }

        return false;
    }

    private static async Task WaitAsync(Func<Task<bool>> condition, string what, int seconds)
    {
        if (!await WaitAsync(condition, seconds))
        {
            throw new TimeoutException($"never saw {what}");
        }
    }

    private static async Task<Dictionary<string, int>> StandInCallsAsync(PipelineHarness h, IEnumerable<string> trIds)
    {
        var calls = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var trId in trIds)
        {
            calls[trId] = (await h.Coufun.CountersAsync(trId)).Calls;
        }

        return calls;
    }
}
