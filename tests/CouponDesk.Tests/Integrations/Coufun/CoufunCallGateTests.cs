using CouponDesk.Data.Redis;
using CouponDesk.Hosting.Liveness;
using CouponDesk.Integrations.Coufun;
using CouponDesk.TestSupport;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;

namespace CouponDesk.Tests.Integrations.Coufun;

/// <summary>The limiter with a fake clock: concurrency and calls per second, per process and shared through Redis.</summary>
public sealed class CoufunCallGateTests
{
    private static CoufunCallGate Gate(FakeTimeProvider time, int concurrency, int perSecond, string? redis, string prefix, Owners? owners = null) =>
        new(new CoufunOptions { BaseUrl = "http://x/", PocId = "P", MaxConcurrency = concurrency, CallsPerSecond = perSecond },
            new RedisConnection(new RedisOptions { Configuration = redis }, NullLogger<RedisConnection>.Instance), owners ?? new Owners(), time, NullLogger<CoufunCallGate>.Instance)
        { KeyPrefix = prefix };

    /// <summary>
    /// D-OPS-11: a process that dies holding shared slots (no release, no expiry yet) stops blocking the others as soon as
    /// its owner is known dead — not after the slots' 120 s lease.
    /// </summary>
    [Fact]
    public async Task Slots_of_a_process_known_dead_are_freed_at_once()
    {
        var redis = RedisOrSkip(shared: true);
        var time = new FakeTimeProvider(DateTimeOffset.Parse("2026-11-25T00:00:00.100Z", System.Globalization.CultureInfo.InvariantCulture));
        var prefix = $"test:{Guid.NewGuid():N}:";
        var dyingProcess = new Owners();
        var deadOwners = new Owners();
        using var dying = Gate(time, 2, 1000, redis, prefix, dyingProcess);
        using var survivor = Gate(time, 2, 1000, redis, prefix, deadOwners);
        _ = await dying.EnterAsync(CancellationToken.None);
        _ = await dying.EnterAsync(CancellationToken.None); // both slots held; the process is then "killed" (never releases)

        var waiting = survivor.EnterAsync(CancellationToken.None);
        await Settle(time);
        Assert.False(waiting.IsCompleted);

        deadOwners.Dead.Add(dyingProcess.Owner);
        await Settle(time);
        Assert.True(waiting.IsCompleted);
        await (await waiting).DisposeAsync();
    }

    /// <summary>A process's liveness view: its own owner prefix and the owners it knows dead.</summary>
    private sealed class Owners : ISlotOwners
    {
        public string Owner { get; } = Guid.NewGuid().ToString("N")[..16];

        public List<string> Dead { get; } = [];

        public IReadOnlyList<string> ReleasedOwners => [.. Dead];
    }

    public static TheoryData<bool> Modes() => [false, true];

    [Theory]
    [MemberData(nameof(Modes))]
    public async Task No_more_calls_than_the_concurrency_limit_are_in_flight(bool shared)
    {
        var redis = RedisOrSkip(shared);
        var time = new FakeTimeProvider(DateTimeOffset.Parse("2026-11-25T00:00:00.100Z", System.Globalization.CultureInfo.InvariantCulture));
        var prefix = $"test:{Guid.NewGuid():N}:";
        // Two gates sharing Redis stand for two worker processes; without Redis one gate is one process.
        using var a = Gate(time, 2, 1000, redis, prefix);
        using var b = shared ? Gate(time, 2, 1000, redis, prefix) : a;

        var first = await a.EnterAsync(CancellationToken.None);
        var second = await b.EnterAsync(CancellationToken.None);
        var third = b.EnterAsync(CancellationToken.None);
        await Settle(time);

        Assert.False(third.IsCompleted);
        await first.DisposeAsync();
        await Settle(time);
        Assert.True(third.IsCompleted);
        await (await third).DisposeAsync();
        await second.DisposeAsync();
    }

    [Theory]
    [MemberData(nameof(Modes))]
    public async Task Calls_beyond_the_rate_wait_for_the_next_second(bool shared)
    {
        var redis = RedisOrSkip(shared);
        var time = new FakeTimeProvider(DateTimeOffset.Parse("2026-11-25T00:00:00.100Z", System.Globalization.CultureInfo.InvariantCulture).AddSeconds(Random.Shared.Next(1, 100_000)));
        var prefix = $"test:{Guid.NewGuid():N}:";
        using var a = Gate(time, 100, 2, redis, prefix);
        using var b = shared ? Gate(time, 100, 2, redis, prefix) : a;

        await (await a.EnterAsync(CancellationToken.None)).DisposeAsync();
        await (await b.EnterAsync(CancellationToken.None)).DisposeAsync();
        var third = a.EnterAsync(CancellationToken.None);
        await Settle(time, advanceMs: 0);

        Assert.False(third.IsCompleted);
        time.Advance(TimeSpan.FromMilliseconds(900));
        await Settle(time, advanceMs: 0);
        Assert.True(third.IsCompleted);
    }

    private static string? RedisOrSkip(bool shared) =>
        !shared ? null : TestEnvironment.RedisConfiguration ?? throw new InvalidOperationException("scripts/test provides Redis (COUPONDESK_TEST_REDIS)");

    /// <summary>Lets pending continuations (Redis round trips, poll delays) run, moving the fake clock in small steps.</summary>
    private static async Task Settle(FakeTimeProvider time, int advanceMs = 20)
    {
        for (var i = 0; i < 10; i++)
        {
            await Task.Delay(30);
            if (advanceMs > 0)
            {
                time.Advance(TimeSpan.FromMilliseconds(advanceMs));
            }
        }
    }
}
