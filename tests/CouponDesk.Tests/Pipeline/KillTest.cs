using System.Diagnostics;
using CouponDesk.Features.Audit;
using CouponDesk.Features.Pipeline;
using Dapper;
using Microsoft.Extensions.DependencyInjection;
using StackExchange.Redis;
using Xunit.Abstractions;

namespace CouponDesk.Tests.Pipeline;

/// <summary>
/// The kill test (issue 8, issue 23): a 2,000-recipient campaign runs in two worker processes (the built CouponDesk.dll
/// with roles=worker, each in its own slot <c>kill-w0</c>/<c>kill-w1</c>) that are SIGKILLed at random moments 12 times
/// and restarted under the same instance name. The COUFUN call gate is shared through a Redis of the test's own.
/// Afterwards the witnesses must agree: no recipient with two coupons outside the in-doubt report, no recipient with
/// two deliveries, none lost, and the campaign finished. Leases (60 s) and call slots (2 minutes, 8 slots for the two
/// workers' 8 loops) are far longer than a restart: every restart fences its predecessor and frees its claims and slots
/// at once (D-OPS-11), which the end checks confirm per incarnation.
/// </summary>
public sealed class KillTest(ITestOutputHelper output)
{
    private const int Recipients = 2000;
    private const int Kills = 12;

    [Fact]
    [Trait("Category", "KillTest")]
    public async Task Workers_killed_at_random_moments_still_serve_every_recipient_exactly_once()
    {
        using var redis = await OwnRedis.StartAsync();
        // The web-only back office gives us the migrated schema, the sender number and the PII keys; it runs no pipeline.
        await using var h = await PipelineHarness.StartAsync(roles: "web");
        await h.Coufun.SetFaultsAsync(new { endpoints = new[] { "create" }, latencyMinMs = 20, latencyMaxMs = 120 });
        var id = await h.ScheduleCampaignAsync(Recipients);
        var environment = WorkerProcesses.Environment(h,
            ("Redis:Configuration", redis.Configuration),
            ("Coufun:MaxConcurrency", "8"),
            ("Coufun:RequestTimeoutSeconds", "30"), // slot lease = 30 s x 3 + 30 s: a fixed timeout could not free them in time
            ("Pipeline:LeaseSeconds", "60"),
            ("Liveness:SelfFenceSeconds", "4"),
            // Kills mid-call make in-doubt orders on purpose; the spending guard must not stop the run for them.
            ("Pipeline:SpendingMarginPercent", "100"),
            ("Pipeline:QueueBatchSize", "50"),
            ("Pipeline:RenderParallelism", "1"));
        var workers = new Process?[2];
        var rowsAtStart = new int[workers.Length];
        var random = new Random(8);
        try
        {
            for (var i = 0; i < workers.Length; i++)
            {
                workers[i] = WorkerProcesses.Start(environment, ("Liveness:InstanceName", $"kill-w{i}"));
            }

            // On a loaded machine a worker takes seconds to start: kills before the campaign started test nothing
            // (one run had all 12 land while it was still SCHEDULED). Start killing once issuance is under way.
            await h.WaitForAsync(id, 120, "ISSUING", "SENDING", "COMPLETED", "PARTIALLY_FAILED", "FAILED", "ERROR");
            for (var kill = 0; kill < Kills; kill++)
            {
                var victim = random.Next(workers.Length);
                // A worker killed before its first heartbeat holds no claim (the row comes before any claim): each kill
                // waits until its victim has registered (its name has one row more than when it was started), then
                // lands at a random moment of its work.
                await WaitUntilAsync(async () => await RowsNamedAsync(h, $"kill-w{victim}") > rowsAtStart[victim], $"kill-w{victim} to register");
                await Task.Delay(random.Next(700, 3000));
                workers[victim]!.Kill(); // SIGKILL on Linux: no shutdown hooks, no flushing
                await workers[victim]!.WaitForExitAsync();
                workers[victim]!.Dispose();
                output.WriteLine($"kill {kill + 1}: worker {victim}, campaign {await h.StatusAsync(id)}");
                rowsAtStart[victim] = await RowsNamedAsync(h, $"kill-w{victim}");
                workers[victim] = WorkerProcesses.Start(environment, ("Liveness:InstanceName", $"kill-w{victim}"));
            }

            string[] settled = ["COMPLETED", "PARTIALLY_FAILED", "FAILED", "ERROR", "CANCELLED"];
            var final = await h.WaitForAsync(id, 150, settled);
            // The pipeline may protect itself on a busy machine (failure threshold, spending guard): that stop is
            // correct behaviour and waits for a person. The operator's answer is to resume; the witnesses below must
            // hold whatever happened. The reason is printed so a stop that should not have happened is visible.
            for (var resumes = 0; final == "ERROR" && resumes < 3; resumes++)
            {
                output.WriteLine($"stopped ({await StopReasonAsync(h, id)}); resuming as an operator would");
                var control = h.BackOffice.Services.GetRequiredService<PipelineControl>();
                await control.ResumeAsync(id, new AuditActor(null, "kill-test", "127.0.0.1", null, null), CancellationToken.None);
                final = await h.WaitForAsync(id, 150, settled);
            }

            var w = await PipelineWitness.ReadAsync(h.Database, h.Coufun, id);
            output.WriteLine($"final {final}: {w}");

            Assert.Equal(Recipients, w.Items);
            Assert.Equal(0, w.ItemsWithoutFinalState);
            Assert.Equal("COMPLETED", final);
            Assert.Equal(Recipients, w.SentItems);
            Assert.Equal(0, w.RecipientsNeverDelivered);
            Assert.Equal(0, w.RecipientsDeliveredTwice);
            Assert.Equal(Recipients, w.CouponsStored);
            Assert.Equal(0, w.StoredCouponsHeldByNobody);
            // Every coupon COUFUN created is held by exactly one recipient or listed in the in-doubt report.
            Assert.Equal(w.CouponsBoughtAtCoufun, w.CouponsBoughtForSucceededOrders + w.CouponsBoughtForInDoubtOrders);
            Assert.Equal(Recipients, w.CouponsBoughtForSucceededOrders);

            // Every killed incarnation was fenced by its successor and its claims and call slots released.
            var killed = await KilledIncarnationsAsync(h);

            output.WriteLine($"killed incarnations: {killed.Count}, released: {killed.Count(k => k.Released)}");
            Assert.Equal(Kills, killed.Count);
            Assert.All(killed, k => Assert.Equal("successor", k.Reason));
            Assert.All(killed, k => Assert.True(k.Released));
            using var mux = await ConnectionMultiplexer.ConnectAsync(redis.Configuration);
            var slots = (await mux.GetDatabase().SortedSetRangeByRankAsync("coupondesk:coufun:slots")).Select(m => m.ToString()).ToList();
            Assert.DoesNotContain(slots, m => killed.Any(k => m.StartsWith(k.Owner, StringComparison.Ordinal)));
        }
        finally
        {
            foreach (var worker in workers)
            {
                await WorkerProcesses.StopAsync(worker);
            }
        }
    }

    private static async Task WaitUntilAsync(Func<Task<bool>> condition, string what)
    {
        for (var i = 0; i < 1200; i++)
        {
            if (await condition())
            {
                return;
            }

            await Task.Delay(100);
        }

        throw new TimeoutException("waited in vain for " + what);
    }

    private static async Task<int> RowsNamedAsync(PipelineHarness h, string instanceName)
    {
        await using var c = await h.Database.OpenAsync();
        return await c.ExecuteScalarAsync<int>("SELECT COUNT(*) FROM worker_heartbeats WHERE instance_name = @instanceName", new { instanceName });
    }

    /// <summary>The fenced incarnations of the two slots (the two running workers are not fenced).</summary>
    private static async Task<List<(string Owner, string? Reason, bool Released)>> KilledIncarnationsAsync(PipelineHarness h)
    {
        await using var connection = await h.Database.OpenAsync();
        return [.. await connection.QueryAsync<(string, string?, bool)>(
            """
            SELECT LEFT(instance_id, 16), fence_reason, leases_released_at IS NOT NULL FROM worker_heartbeats
            WHERE instance_name LIKE 'kill-w%' AND fenced_at IS NOT NULL
            """)];
    }

    private static async Task<string> StopReasonAsync(PipelineHarness h, long id)
    {
        await using var connection = await h.Database.OpenAsync();
        return await connection.ExecuteScalarAsync<string?>(
            "SELECT CONCAT_WS(': ', stop_code, stop_reason) FROM campaign_runs WHERE campaign_id = @id", new { id }) ?? "no reason recorded";
    }
}
