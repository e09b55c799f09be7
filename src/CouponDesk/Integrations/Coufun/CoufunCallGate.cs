using CouponDesk.Data.Redis;
using CouponDesk.Hosting.Liveness;
using StackExchange.Redis;

namespace CouponDesk.Integrations.Coufun;

/// <summary>
/// Limits calls to COUFUN: at most <see cref="CoufunOptions.MaxConcurrency"/> in flight and
/// <see cref="CoufunOptions.CallsPerSecond"/> started per second (fixed one-second windows). Shared by every process
/// through Redis when it is configured and reachable; per process otherwise, and per process again the moment Redis
/// fails. While Redis is away each process takes its share of the rate, <see cref="CoufunOptions.CallsPerSecond"/>
/// divided by the live calling processes (<see cref="ISlotOwners.CallingProcesses"/>), so the sum across processes stays
/// within the limit (issue 22, D-FAULT-1); the in-flight cap stays per process.
/// A shared slot belongs to its process: it is freed when the call ends, when the process is known dead (its owner is in
/// <see cref="ISlotOwners.ReleasedOwners"/>, D-OPS-11), and — last resort, for a process that hangs while it beats —
/// after the lease duration. Without Redis the slots are the process's own and die with it.
/// Time comes from <see cref="TimeProvider"/>, so the waits are testable without a clock.
/// </summary>
public sealed class CoufunCallGate(CoufunOptions options, RedisConnection redis, ISlotOwners? liveness, TimeProvider time, ILogger<CoufunCallGate> logger) : IDisposable
{
    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(20);

    // KEYS[1] = lease set; ARGV = now ms, lease expiry ms, max, lease id, then the owners of dead processes. Members are
    // "owner:lease"; a dead process's slots are dropped first (D-OPS-11), then expired ones (the last resort, for a process
    // that hangs while its heartbeat lives).
    private const string AcquireScript = """
        if #ARGV > 4 then
          for _, m in ipairs(redis.call('ZRANGE', KEYS[1], 0, -1)) do
            local owner = string.sub(m, 1, 16)
            for i = 5, #ARGV do
              if owner == ARGV[i] then
                redis.call('ZREM', KEYS[1], m)
                break
              end
            end
          end
        end
        redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', ARGV[1])
        if redis.call('ZCARD', KEYS[1]) < tonumber(ARGV[3]) then
          redis.call('ZADD', KEYS[1], ARGV[2], ARGV[4])
          redis.call('PEXPIRE', KEYS[1], 600000)
          return 1
        end
        return 0
        """;

    private readonly SemaphoreSlim localSlots = new(options.MaxConcurrency, options.MaxConcurrency);
    private readonly Lock windowGate = new();
    private long localWindow = -1;
    private int localCount;

    /// <summary>Key prefix in Redis; tests give each gate group its own.</summary>
    public string KeyPrefix { get; init; } = "coupondesk:coufun:";

    private TimeSpan LeaseDuration => TimeSpan.FromSeconds((options.RequestTimeoutSeconds * (options.ReadRetries + 1)) + 30);

    /// <summary>Waits for a slot and a rate token; dispose the result when the call is over.</summary>
    public async Task<IAsyncDisposable> EnterAsync(CancellationToken cancellationToken)
    {
        var slot = await AcquireSlotAsync(cancellationToken);
        try
        {
            await TakeRateTokenAsync(cancellationToken);
            return slot;
        }
        catch
        {
            await slot.DisposeAsync();
            throw;
        }
    }

    private async Task<IAsyncDisposable> AcquireSlotAsync(CancellationToken ct)
    {
        // The owner prefix ties the slot to this process, so it is freed as soon as the process is known dead (D-OPS-11).
        var leaseId = (liveness?.Owner ?? "0000000000000000") + ":" + Guid.NewGuid().ToString("N");
        while (true)
        {
            var db = await SharedAsync(ct);
            if (db is null)
            {
                await localSlots.WaitAsync(ct);
                return new Release(() =>
                {
                    localSlots.Release();
                    return Task.CompletedTask;
                });
            }

            try
            {
                var now = time.GetUtcNow().ToUnixTimeMilliseconds();
                RedisValue[] args = [now, now + (long)LeaseDuration.TotalMilliseconds, options.MaxConcurrency, leaseId, .. (liveness?.ReleasedOwners ?? []).Select(o => (RedisValue)o)];
                var granted = (int)await db.ScriptEvaluateAsync(AcquireScript, [KeyPrefix + "slots"], args);
                if (granted == 1)
                {
                    return new Release(async () =>
                    {
                        try
                        {
                            await db.SortedSetRemoveAsync(KeyPrefix + "slots", leaseId);
                        }
                        catch (RedisException ex)
                        {
                            // The lease expires on its own.
                            logger.LogWarning(ex, "Could not release a COUFUN call slot in Redis");
                        }
                    });
                }
            }
            catch (RedisException ex)
            {
                logger.LogWarning(ex, "Redis failed while limiting COUFUN calls; limiting per process");
                continue;
            }

            await Task.Delay(PollInterval, time, ct);
        }
    }

    private async Task TakeRateTokenAsync(CancellationToken ct)
    {
        while (true)
        {
            var nowMs = time.GetUtcNow().ToUnixTimeMilliseconds();
            var window = nowMs / 1000;
            if (await TryTakeAsync(window, ct))
            {
                return;
            }

            // Wait for the next one-second window.
            await Task.Delay(TimeSpan.FromMilliseconds(((window + 1) * 1000) - nowMs), time, ct);
        }
    }

    private async Task<bool> TryTakeAsync(long window, CancellationToken ct)
    {
        var db = await SharedAsync(ct);
        if (db is not null)
        {
            try
            {
                var key = $"{KeyPrefix}rate:{window}";
                var count = await db.StringIncrementAsync(key);
                if (count == 1)
                {
                    await db.KeyExpireAsync(key, TimeSpan.FromSeconds(5));
                }

                return count <= options.CallsPerSecond;
            }
            catch (RedisException ex)
            {
                logger.LogWarning(ex, "Redis failed while limiting COUFUN calls; limiting per process");
            }
        }

        lock (windowGate)
        {
            if (window != localWindow)
            {
                localWindow = window;
                localCount = 0;
            }

            return ++localCount <= LocalCallsPerSecond;
        }
    }

    /// <summary>This process's share of the rate without Redis (at least one call per second).</summary>
    private int LocalCallsPerSecond => Math.Max(1, options.CallsPerSecond / Math.Max(1, liveness?.CallingProcesses ?? 1));

    private async Task<IDatabase?> SharedAsync(CancellationToken ct)
    {
        try
        {
            return await redis.TryGetDatabase(ct);
        }
        catch (RedisException)
        {
            return null;
        }
    }

    public void Dispose() => localSlots.Dispose();

    private sealed class Release(Func<Task> release) : IAsyncDisposable
    {
        private int released;

        public async ValueTask DisposeAsync()
        {
            if (Interlocked.Exchange(ref released, 1) == 0)
            {
                await release();
            }
        }
    }
}
