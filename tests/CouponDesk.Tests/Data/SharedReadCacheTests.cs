using CouponDesk.Data;
using Microsoft.Extensions.Time.Testing;

namespace CouponDesk.Tests.Data;

/// <summary>D-PERF-2: one read per key at a time, kept for its lifetime; a failed read is not kept; a leaving caller ends nothing.</summary>
public sealed class SharedReadCacheTests
{
    private readonly FakeTimeProvider time = new(DateTimeOffset.UtcNow);

    [Fact]
    public async Task Callers_that_miss_together_wait_for_one_read_and_the_value_is_kept_for_its_lifetime()
    {
        var cache = new SharedReadCache<string, int>(() => TimeSpan.FromSeconds(10), time);
        var reads = 0;
        var gate = new TaskCompletionSource<int>(TaskCreationOptions.RunContinuationsAsynchronously);
        Task<int> Read(CancellationToken ct)
        {
            Interlocked.Increment(ref reads);
            return gate.Task;
        }

        var waiting = Enumerable.Range(0, 20).Select(_ => cache.GetAsync("today", Read, CancellationToken.None)).ToList();
        gate.SetResult(42);
        Assert.All(await Task.WhenAll(waiting), v => Assert.Equal(42, v));
        Assert.Equal(1, Volatile.Read(ref reads));

        time.Advance(TimeSpan.FromSeconds(9));
        Assert.Equal(42, await cache.GetAsync("today", _ => Task.FromResult(7), CancellationToken.None));
        time.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal(7, await cache.GetAsync("today", _ => Task.FromResult(7), CancellationToken.None));
        Assert.Equal(8, await cache.GetAsync("7d", _ => Task.FromResult(8), CancellationToken.None));
    }

    [Fact]
    public async Task A_failed_read_is_not_kept_and_a_leaving_caller_does_not_cancel_the_read()
    {
        var cache = new SharedReadCache<int, string>(() => TimeSpan.FromMinutes(1), time);
        await Assert.ThrowsAsync<InvalidOperationException>(() => cache.GetAsync(1, _ => throw new InvalidOperationException("database away"), CancellationToken.None));
        Assert.Equal("again", await cache.GetAsync(1, _ => Task.FromResult("again"), CancellationToken.None));

        var gate = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        using var leaving = new CancellationTokenSource();
        var first = cache.GetAsync(2, async ct =>
        {
            var value = await gate.Task;
            ct.ThrowIfCancellationRequested();
            return value;
        }, leaving.Token);
        var second = cache.GetAsync(2, _ => Task.FromResult("another read"), CancellationToken.None);
        await leaving.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => first);
        gate.SetResult("shared");
        Assert.Equal("shared", await second);
    }

    [Fact]
    public async Task A_lifetime_of_zero_reads_every_time()
    {
        var cache = new SharedReadCache<int, int>(() => TimeSpan.Zero, time);
        var reads = 0;
        for (var i = 0; i < 3; i++)
        {
            await cache.GetAsync(1, _ => Task.FromResult(Interlocked.Increment(ref reads)), CancellationToken.None);
        }

        Assert.Equal(3, reads);
    }
}
