using CouponDesk.Data.Leases;
using CouponDesk.TestSupport;
using Dapper;
using Microsoft.Extensions.Logging.Abstractions;

namespace CouponDesk.Tests.Data;

/// <summary>The replicated lease row that replaced GET_LOCK: one holder at a time, released on dispose, taken over after expiry.</summary>
public sealed class NamedLeaseTests : IAsyncLifetime
{
    private readonly TestDatabase database = new();

    private NamedLeases Leases => new(database.Connections, NullLogger<NamedLeases>.Instance);

    [Fact]
    public async Task One_holder_at_a_time_and_free_again_once_released()
    {
        var first = await Leases.TryAcquireAsync("job", TimeSpan.FromMinutes(1), CancellationToken.None);
        Assert.NotNull(first);
        Assert.Null(await Leases.TryAcquireAsync("job", TimeSpan.FromMinutes(1), CancellationToken.None));
        Assert.NotNull(await Leases.HolderAsync("job", CancellationToken.None));
        // Other names are independent.
        await using (var other = await Leases.TryAcquireAsync("other", TimeSpan.FromMinutes(1), CancellationToken.None))
        {
            Assert.NotNull(other);
        }

        await first!.DisposeAsync();

        Assert.Null(await Leases.HolderAsync("job", CancellationToken.None));
        await using var second = await Leases.TryAcquireAsync("job", TimeSpan.FromMinutes(1), CancellationToken.None);
        Assert.NotNull(second);
    }

    [Fact]
    public async Task Many_claimants_at_once_get_exactly_one_lease()
    {
        var claims = await Task.WhenAll(Enumerable.Range(0, 12).Select(_ => Leases.TryAcquireAsync("race", TimeSpan.FromMinutes(1), CancellationToken.None)));

        Assert.Single(claims, l => l is not null);
        foreach (var lease in claims.OfType<NamedLease>())
        {
            await lease.DisposeAsync();
        }
    }

    [Fact]
    public async Task An_expired_lease_is_taken_over_and_its_old_holder_learns_it_lost_it()
    {
        var stale = await Leases.TryAcquireAsync("takeover", TimeSpan.FromSeconds(3), CancellationToken.None);
        Assert.NotNull(stale);
        await using (var c = await database.OpenAsync())
        {
            // The holder stalled past its lease (simulated by moving lease_until into the past).
            await c.ExecuteAsync("UPDATE named_leases SET lease_until = UTC_TIMESTAMP(6) - INTERVAL 1 SECOND WHERE name = 'takeover'");
        }

        await using var successor = await Leases.TryAcquireAsync("takeover", TimeSpan.FromMinutes(1), CancellationToken.None);
        Assert.NotNull(successor);
        // The stale holder's next renewal (every third of its 3 s) finds the row taken.
        var lost = new TaskCompletionSource();
        stale!.Lost.Register(() => lost.TrySetResult());
        Assert.Same(lost.Task, await Task.WhenAny(lost.Task, Task.Delay(TimeSpan.FromSeconds(30))));
        await stale.DisposeAsync();
        Assert.Equal(successor!.Token, await TokenAsync("takeover"));
    }

    [Fact]
    public async Task A_held_lease_is_renewed_while_its_work_runs()
    {
        await using var lease = await Leases.TryAcquireAsync("long-work", TimeSpan.FromSeconds(3), CancellationToken.None);
        Assert.NotNull(lease);
        var until = await UntilAsync("long-work");

        // Wait until a renewal moved lease_until forward (renewals run every second for a 3 s lease).
        var renewed = false;
        for (var i = 0; i < 300 && !renewed; i++)
        {
            await Task.Delay(100);
            renewed = await UntilAsync("long-work") > until;
        }

        Assert.True(renewed);
        Assert.False(lease!.Lost.IsCancellationRequested);
        Assert.Null(await Leases.TryAcquireAsync("long-work", TimeSpan.FromSeconds(3), CancellationToken.None));
    }

    private async Task<string?> TokenAsync(string name)
    {
        await using var c = await database.OpenAsync();
        return await c.ExecuteScalarAsync<string?>("SELECT lease_token FROM named_leases WHERE name = @name", new { name });
    }

    private async Task<DateTime> UntilAsync(string name)
    {
        await using var c = await database.OpenAsync();
        return await c.ExecuteScalarAsync<DateTime>("SELECT lease_until FROM named_leases WHERE name = @name", new { name });
    }

    public Task InitializeAsync() => database.MigrateAsync();

    public Task DisposeAsync() => database.DisposeAsync();
}
