using CouponDesk.Data;
using CouponDesk.Features.Campaigns;
using CouponDesk.Features.Messages;
using Dapper;

namespace CouponDesk.Features.Pipeline;

/// <summary>
/// The pipeline in a worker process (role <c>worker</c>): plain polling loops, each claiming its work from the database,
/// so any number of processes share the campaigns without a coordinator and a killed process loses nothing but its
/// leases. Loops: campaign lifecycle + issuance planning, issuance calls (<see cref="PipelineOptions.IssueConcurrency"/>
/// at once), render-and-queue, and optionally the result sync.
/// </summary>
public sealed class PipelineWorker(
    CampaignLifecycle lifecycle,
    IssuancePlanner planner,
    OrderExecutor executor,
    RenderAndQueue renderQueue,
    PipelineControl control,
    DeliveryResultSync resultSync,
    DbConnectionFactory connections,
    PipelineOptions options,
    DatabaseOutage outage,
    ILogger<PipelineWorker> logger) : BackgroundService
{
    protected override Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var loops = new List<Task>
        {
            Loop("lifecycle", lifecycle.StepAsync, stoppingToken),
            // Planning in its own loop: the next round of orders is planned while the lifecycle's sweeps run (D-PIPE-19).
            Loop("plan", planner.PlanAsync, stoppingToken),
            Loop("cancel-coupons", control.CancelCouponsAsync, stoppingToken),
            Loop("templates", ForgetTemplatesAsync, stoppingToken, idleMs: 30_000),
        };
        // Several loops claim disjoint batches (SKIP LOCKED + lease), so one batch renders while another is inserted.
        for (var i = 0; i < options.RenderQueueLoops; i++)
        {
            loops.Add(Loop("render-queue", renderQueue.StepAsync, stoppingToken));
        }

        for (var i = 0; i < options.IssueConcurrency; i++)
        {
            loops.Add(Loop("issue", IssueOneAsync, stoppingToken));
        }

        if (options.ResultSyncIntervalSeconds > 0)
        {
            loops.Add(Loop("results", async ct => { await resultSync.RunOnceAsync(ct); return 0; }, stoppingToken, idleMs: options.ResultSyncIntervalSeconds * 1000));
        }

        return Task.WhenAll(loops);
    }

    private async Task<int> IssueOneAsync(CancellationToken ct)
    {
        var claimed = await executor.ClaimAsync(1, ct);
        foreach (var order in claimed)
        {
            await executor.ExecuteAsync(order, ct);
        }

        return claimed.Count;
    }

    private async Task<int> ForgetTemplatesAsync(CancellationToken ct)
    {
        await using var c = await connections.OpenAsync(ct);
        var running = (await c.QueryAsync<long>(new CommandDefinition($"SELECT id FROM campaigns WHERE status IN {CampaignStatus.RunningSql}", cancellationToken: ct))).ToHashSet();
        renderQueue.Forget(running);
        return 0;
    }

    /// <summary>
    /// Runs <paramref name="step"/> back to back while it finds work, and sleeps between polls when idle. Failures are
    /// logged and retried with an exponential back-off; while the database is unreachable only <see cref="DatabaseOutage"/> speaks.
    /// </summary>
    private async Task Loop(string name, Func<CancellationToken, Task<int>> step, CancellationToken ct, int? idleMs = null)
    {
        await Task.Yield();
        var failures = 0;
        while (!ct.IsCancellationRequested)
        {
            int done;
            var started = outage.PassStarted();
            try
            {
                // Every step is a unit that may be run again (claims, leases): one that loses a deadlock or a cluster
                // certification conflict runs again at once, counted, instead of waiting a poll interval.
                done = await DeadlockRetry.RunAsync(() => step(ct), logger, $"pipeline step {name}");
                failures = 0;
                outage.Succeeded(started);
            }
            catch (OperationCanceledException) when (ct.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex)
            {
                failures++;
                if (DatabaseOutage.IsOutage(ex))
                {
                    outage.Failed(ex);
                }
                else
                {
                    logger.LogError(ex, "Pipeline loop {Loop} failed; retrying", name);
                }

                done = 0;
            }

            if (done == 0 || idleMs is not null || failures > 0)
            {
                var wait = failures > 0
                    ? DatabaseOutage.Backoff(failures, TimeSpan.FromMilliseconds(options.PollIntervalMs))
                    : TimeSpan.FromMilliseconds(idleMs ?? options.PollIntervalMs);
                try
                {
                    await Task.Delay(wait, ct);
                }
                catch (OperationCanceledException)
                {
                    return;
                }
            }
        }
    }
}
