using System.Diagnostics;
using CouponDesk.Data;
using CouponDesk.Shared.Text;
using Dapper;
using MySqlConnector;

namespace CouponDesk.Hosting.Liveness;

/// <summary>
/// This process's heartbeat and the cluster's undertaker (D-OPS-11). Registered before every other hosted service but the
/// migration, it writes this process's <c>worker_heartbeats</c> row before any claim is made, then beats on its own
/// thread (not the thread pool, which a busy pipeline can starve). A second thread, the reaper, every beat interval:
/// fences processes that went silent for <see cref="LivenessOptions.DeadAfterSeconds"/>, and releases the leases
/// (through every <see cref="ILeaseRelease"/>) and the COUFUN call slots (<see cref="ReleasedOwners"/>) of fenced
/// processes whose last beat is older than the self-fence time plus a margin. Starting under an
/// <see cref="LivenessOptions.InstanceName"/> fences the older process of that name at once.
/// A beat that finds its own row fenced means the others have given this process's claims away: it makes no more create
/// calls and stops the application. Times are the database's clock, so hosts' clocks do not matter.
/// </summary>
public sealed class ProcessLiveness(
    DbConnectionFactory connections,
    ProcessIdentity identity,
    AppRoles roles,
    LivenessOptions options,
    IEnumerable<ILeaseRelease> releases,
    IHostApplicationLifetime lifetime,
    TimeProvider time,
    DatabaseOutage outage,
    ILogger<ProcessLiveness> logger) : IHostedService, ISlotOwners, ICreateCallPermit, IDisposable
{
    /// <summary>How long the reaper waits for a row lock before leaving that row for its next round.</summary>
    private const int ReaperLockWaitSeconds = 2;

    private readonly Stopwatch clock = Stopwatch.StartNew();
    private readonly CancellationTokenSource stopping = new();
    private readonly ILeaseRelease[] releasers = [.. releases];
    private long lastConfirmedTicks = long.MinValue / 2;
    private volatile bool fenced;
    private volatile bool registered;
    private bool beatFailing;
    private volatile string[] releasedOwners = [];
    private volatile int callingProcesses = 1;
    private Thread? thread;
    private Thread? reaper;
    private int reaps;
    private int stopRequested;

    /// <summary>This process's owner prefix (of its lease tokens and COUFUN call slots).</summary>
    public string Owner => identity.Owner;

    /// <summary>Declared dead by the others (or stopping): no create call may start any more.</summary>
    public bool IsFenced => fenced;

    /// <summary>Owners (lease-token prefixes) of fenced processes past their self-fence, dead within the last hour.</summary>
    public IReadOnlyList<string> ReleasedOwners => releasedOwners;

    /// <summary>Live, unfenced processes other than web-only ones (they may call COUFUN), this one included; counted by the reaper.</summary>
    public int CallingProcesses => callingProcesses;

    /// <summary>
    /// True while this process's last confirmed beat is recent enough that no other process can have been allowed to
    /// take its claims: a create call may leave now.
    /// </summary>
    public bool MayCall => !fenced && clock.ElapsedTicks - Interlocked.Read(ref lastConfirmedTicks) < TimeSpan.FromSeconds(options.SelfFenceSeconds).TotalSeconds * Stopwatch.Frequency;

    /// <summary>Waits until <see cref="MayCall"/>; throws <see cref="ProcessFencedException"/> once this process is fenced.</summary>
    public async Task WaitUntilMayCallAsync(CancellationToken ct)
    {
        while (!MayCall)
        {
            if (fenced)
            {
                throw new ProcessFencedException();
            }

            await Task.Delay(20, ct);
        }
    }

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        try
        {
            await using var c = await connections.OpenAsync(cancellationToken);
            Register(c);
        }
        catch (Exception ex) when (ex is MySqlException or InvalidOperationException or IOException or TimeoutException)
        {
            // No schema yet (migrations run as a separate step) or no database: the process still starts, so /health/ready
            // can say why; the beat thread registers it once it can. Until then MayCall is false and no create leaves.
            logger.LogWarning("Heartbeat not registered at start ({Reason}); retrying on every beat", ex.Message);
        }

        thread = new Thread(Run) { IsBackground = true, Name = "liveness" };
        thread.Start();
        reaper = new Thread(RunReaper) { IsBackground = true, Name = "liveness-reaper" };
        reaper.Start();
    }

    /// <summary>Writes this process's heartbeat row; the first confirmed beat.</summary>
    private void Register(MySqlConnection c)
    {
        var sent = clock.ElapsedTicks;
        c.Execute(
            """
            INSERT INTO worker_heartbeats (instance_id, instance_name, host_name, process_id, roles, started_at, beat_at)
            VALUES (@id, @name, @host, @pid, @roles, @started, UTC_TIMESTAMP(6))
            """,
            new { id = identity.InstanceId, name = identity.InstanceName, host = Truncation.Truncate(Environment.MachineName, 100), pid = Environment.ProcessId, roles = roles.ToString(), started = time.GetUtcNow().UtcDateTime });
        registered = true;
        Interlocked.Exchange(ref lastConfirmedTicks, sent);
        if (identity.InstanceName is { } name)
        {
            // A restart under the same name: the predecessor is gone (or must stop). Its claims are released once its
            // last beat is older than the self-fence time plus the margin — at once after a crash and a normal start-up.
            var superseded = c.Execute(
                "UPDATE worker_heartbeats SET fenced_at = UTC_TIMESTAMP(6), fence_reason = 'successor' WHERE instance_name = @name AND instance_id <> @id AND fenced_at IS NULL",
                new { name, id = identity.InstanceId });
            if (superseded > 0)
            {
                logger.LogWarning("Started as {InstanceName}: fenced the previous process of that name", name);
            }
        }
    }

    /// <summary>
    /// A clean stop: the pipeline loops have ended (hosted services stop in reverse order), so this process's remaining
    /// leases are released now and its row marked stopped, instead of waiting for the others to notice the silence.
    /// </summary>
    public async Task StopAsync(CancellationToken cancellationToken)
    {
        // Once only: a host disposed before it was stopped (seen in CI with WebApplicationFactory) or stopped twice.
        if (Interlocked.Exchange(ref stopRequested, 1) == 1)
        {
            return;
        }

        await stopping.CancelAsync();
        thread?.Join(TimeSpan.FromSeconds(5));
        reaper?.Join(TimeSpan.FromSeconds(5));
        if (fenced)
        {
            return;
        }

        fenced = true;
        try
        {
            await using var c = await connections.OpenAsync(cancellationToken);
            await c.ExecuteAsync(new CommandDefinition(
                "UPDATE worker_heartbeats SET fenced_at = UTC_TIMESTAMP(6), fence_reason = 'stopped' WHERE instance_id = @id AND fenced_at IS NULL",
                new { id = identity.InstanceId }, cancellationToken: cancellationToken));
            Release(c, identity.InstanceId);
        }
        catch (Exception ex) when (ex is MySqlException or OperationCanceledException or InvalidOperationException)
        {
            logger.LogWarning(ex, "Could not release this process's leases on stop; the others release them after the silence");
        }
    }

    private void Run()
    {
        var interval = TimeSpan.FromMilliseconds(options.BeatMilliseconds);
        while (!stopping.IsCancellationRequested)
        {
            var started = outage.PassStarted();
            try
            {
                Beat();
                outage.Succeeded(started);
                beatFailing = false;
            }
            catch (Exception ex) when (DatabaseOutage.IsOutage(ex))
            {
                // The beat keeps its pace during an outage, but only DatabaseOutage speaks.
                outage.Failed(ex);
            }
            catch (Exception ex)
            {
                // Once per failing spell (e.g. a schema not migrated yet), not once per beat. Any exception: one leaving
                // this thread would end the process.
                if (!beatFailing)
                {
                    logger.LogWarning(ex, "Heartbeat not written");
                }

                beatFailing = true;
            }

            if (fenced)
            {
                return;
            }

            stopping.Token.WaitHandle.WaitOne(interval);
        }
    }

    /// <summary>
    /// The undertaker, on a thread of its own: releasing a dead process's leases can wait on row locks that process still
    /// holds (a paused process keeps its open transaction), and that wait must never delay this process's own beat —
    /// a late beat would make the others declare this process dead too.
    /// </summary>
    private void RunReaper()
    {
        var interval = TimeSpan.FromMilliseconds(options.BeatMilliseconds);
        var failing = false;
        while (!stopping.IsCancellationRequested && !fenced)
        {
            try
            {
                if (MayCall)
                {
                    using var c = new MySqlConnection(connections.ConnectionString);
                    c.Open();
                    // Only the rows a statement changes are locked (no gap or next-key locks on the rows it merely scans),
                    // and a row still locked by the dead process is left for the next round.
                    c.Execute($"SET SESSION TRANSACTION ISOLATION LEVEL READ COMMITTED; SET SESSION innodb_lock_wait_timeout = {ReaperLockWaitSeconds}");
                    Reap(c);
                }

                failing = false;
            }
            catch (Exception ex) when (DatabaseOutage.IsOutage(ex))
            {
                // The beat thread reports outages; the reaper just tries again.
            }
            catch (Exception ex)
            {
                // Anything else too: an exception leaving this thread would end the whole process (seen in CI, where a
                // heartbeat row with a short instance id made the release throw), so it is logged once and retried.
                if (!failing)
                {
                    logger.LogWarning(ex, "Dead processes' claims not released this round; retrying");
                }

                failing = true;
            }

            stopping.Token.WaitHandle.WaitOne(interval);
        }
    }

    private void Beat()
    {
        var sent = clock.ElapsedTicks;
        using var c = new MySqlConnection(connections.ConnectionString);
        c.Open();
        if (!registered)
        {
            Register(c);
            return;
        }

        var mine = c.Execute("UPDATE worker_heartbeats SET beat_at = UTC_TIMESTAMP(6) WHERE instance_id = @id AND fenced_at IS NULL", new { id = identity.InstanceId });
        if (mine == 0)
        {
            // The others declared this process dead (a long pause, a successor under our name): they may already hold
            // our claims. Calls already made are settled by the lease checks; no new one may start.
            fenced = true;
            logger.LogCritical("This process was declared dead by its peers (paused too long, or a successor started under its name); stopping");
            lifetime.StopApplication();
            return;
        }

        Interlocked.Exchange(ref lastConfirmedTicks, sent);
    }

    private void Reap(MySqlConnection c)
    {
        if (++reaps % 600 == 1)
        {
            // Rows silent for a day are removed, so restarts do not pile up.
            c.Execute("DELETE FROM worker_heartbeats WHERE beat_at < UTC_TIMESTAMP(6) - INTERVAL 1 DAY");
        }

        var silent = c.Execute(
            "UPDATE worker_heartbeats SET fenced_at = UTC_TIMESTAMP(6), fence_reason = 'silent' WHERE fenced_at IS NULL AND beat_at < UTC_TIMESTAMP(6) - INTERVAL @us MICROSECOND",
            new { us = options.DeadAfterSeconds * 1_000_000L });
        if (silent > 0)
        {
            logger.LogWarning("{Count} process(es) silent for {Seconds} s declared dead", silent, options.DeadAfterSeconds);
        }

        var due = c.Query<string>(
            "SELECT instance_id FROM worker_heartbeats WHERE fenced_at IS NOT NULL AND leases_released_at IS NULL AND beat_at < UTC_TIMESTAMP(6) - INTERVAL @us MICROSECOND",
            new { us = (options.SelfFenceSeconds + options.ReleaseMarginSeconds) * 1_000_000L }).ToList();
        foreach (var instanceId in due)
        {
            Release(c, instanceId);
        }

        // What a per-process COUFUN limit is divided by while Redis is away (D-FAULT-1): every process that may call and
        // still beats (a process that went silent a moment ago still counts; safer to under-use the limit than exceed it).
        callingProcesses = Math.Max(1, c.ExecuteScalar<int>(
            "SELECT COUNT(*) FROM worker_heartbeats WHERE fenced_at IS NULL AND roles <> 'web' AND beat_at >= UTC_TIMESTAMP(6) - INTERVAL @us MICROSECOND",
            new { us = options.DeadAfterSeconds * 1_000_000L }));

        // Call slots hold no row lock: a dead process's slots are freed once it is past its self-fence, even while some of
        // its rows wait for its open transaction.
        releasedOwners = [.. c.Query<string>(
            """
            SELECT LEFT(instance_id, @n) FROM worker_heartbeats
            WHERE fenced_at IS NOT NULL AND beat_at < UTC_TIMESTAMP(6) - INTERVAL @us MICROSECOND AND beat_at >= UTC_TIMESTAMP(6) - INTERVAL 1 HOUR
            """,
            new { n = ProcessIdentity.OwnerLength, us = (options.SelfFenceSeconds + options.ReleaseMarginSeconds) * 1_000_000L })];
    }

    private void Release(MySqlConnection c, string instanceId)
    {
        var owner = ProcessIdentity.OwnerOf(instanceId);
        var result = releasers.Aggregate(default(LeaseRelease), (sum, r) => sum + r.ReleaseOwner(c, owner));
        if (result.StillLocked > 0)
        {
            // Held by a transaction the (paused) process left open: those rows are released on a later round, once its
            // transaction ends; until then nobody else could use them anyway.
            logger.LogWarning("Released {Count} claim(s) of process {Owner}; {Locked} still locked by its open transaction", result.Released, owner, result.StillLocked);
            return;
        }

        c.Execute("UPDATE worker_heartbeats SET leases_released_at = UTC_TIMESTAMP(6) WHERE instance_id = @instanceId", new { instanceId });
        logger.LogWarning("Released {Count} claim(s) of process {Owner}", result.Released, owner);
    }

    public void Dispose()
    {
        if (Interlocked.Exchange(ref stopRequested, 1) == 0)
        {
            stopping.Cancel(); // never stopped: end the beat and reaper threads before the token source goes
        }

        // The threads wait on the token's handle: disposing it under a thread still running crashes the process
        // (seen in CI). Dispose only once both have ended; otherwise leave it to the finalizer.
        var beatEnded = thread?.Join(TimeSpan.FromSeconds(5)) ?? true;
        var reaperEnded = reaper?.Join(TimeSpan.FromSeconds(5)) ?? true;
        if (beatEnded && reaperEnded)
        {
            stopping.Dispose();
        }
    }
}
