using System.Diagnostics.Metrics;
using CouponDesk.Data;
using CouponDesk.TestSupport;
using Dapper;
using Microsoft.Extensions.Logging.Abstractions;
using MySqlConnector;

namespace CouponDesk.Tests.Data;

/// <summary>
/// A transaction that loses a conflict (error 1213: an InnoDB deadlock here; a Galera certification failure on a
/// cluster, same code) runs again whole, and the retry is counted on the CouponDesk meter.
/// </summary>
public sealed class DeadlockRetryTests : IAsyncLifetime
{
    private readonly TestDatabase database = new();

    [Fact]
    public async Task Two_transactions_that_deadlock_both_commit_and_the_retry_is_counted()
    {
        var measured = 0L;
        using var listener = new MeterListener();
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (instrument.Meter.Name == DatabaseMetrics.MeterName && instrument.Name == "coupondesk.db.conflict_retries")
            {
                l.EnableMeasurementEvents(instrument);
            }
        };
        listener.SetMeasurementEventCallback<long>((_, value, tags, _) =>
        {
            foreach (var tag in tags)
            {
                if (tag is { Key: "unit", Value: "deadlock test" })
                {
                    Interlocked.Add(ref measured, value);
                }
            }
        });
        listener.Start();
        var before = DatabaseMetrics.ConflictsRetried;
        using var bothLocked = new Barrier(2);
        var attempts = 0;

        // Each unit locks one row, waits until the other locked the other row (first attempt only), then wants the
        // other's row: InnoDB kills one of them with 1213.
        Task<int> Unit(int first, int second) => DeadlockRetry.RunAsync(async () =>
        {
            var attempt = Interlocked.Increment(ref attempts);
            await using var c = await database.OpenAsync();
            await using var tx = await c.BeginTransactionAsync();
            await c.ExecuteAsync("UPDATE pair SET v = v + 1 WHERE id = @first", new { first }, tx);
            if (attempt <= 2)
            {
                await Task.Run(() => bothLocked.SignalAndWait(TimeSpan.FromSeconds(30)));
            }

            await c.ExecuteAsync("UPDATE pair SET v = v + 10 WHERE id = @second", new { second }, tx);
            await tx.CommitAsync();
            return attempt;
        }, NullLogger.Instance, "deadlock test");

        await Task.WhenAll(Unit(1, 2), Unit(2, 1));

        await using var check = await database.OpenAsync();
        // Both units took effect exactly once: the loser's first attempt left nothing behind.
        Assert.Equal(22, await check.ExecuteScalarAsync<int>("SELECT SUM(v) FROM pair"));
        Assert.Equal(3, attempts);
        Assert.True(DatabaseMetrics.ConflictsRetried > before);
        listener.RecordObservableInstruments();
        Assert.Equal(1, Interlocked.Read(ref measured));
    }

    [Fact]
    public async Task A_unit_that_always_loses_gives_up_after_the_bound_and_the_error_reaches_the_caller()
    {
        var calls = 0;
        var givenUp = DatabaseMetrics.ConflictsGivenUp;

        var error = await Assert.ThrowsAsync<MySqlException>(() => DeadlockRetry.RunAsync<int>(async () =>
        {
            calls++;
            await using var c = await database.OpenAsync();
            // SIGNAL raises a real server error with the deadlock code, as a lost certification would.
            await c.ExecuteAsync("SIGNAL SQLSTATE '40001' SET MYSQL_ERRNO = 1213, MESSAGE_TEXT = 'Deadlock found when trying to get lock; try restarting transaction'");
            return 0;
        }, NullLogger.Instance, "always loses"));

        Assert.Equal(MySqlErrorCode.LockDeadlock, error.ErrorCode);
        Assert.Equal(DeadlockRetry.Attempts, calls);
        Assert.True(DatabaseMetrics.ConflictsGivenUp > givenUp);
    }

    [Fact]
    public async Task Other_errors_are_not_retried()
    {
        var calls = 0;

        await Assert.ThrowsAsync<MySqlException>(() => DeadlockRetry.RunAsync<int>(async () =>
        {
            calls++;
            await using var c = await database.OpenAsync();
            return await c.ExecuteAsync("INSERT INTO pair (id, v) VALUES (1, 0)");
        }, NullLogger.Instance, "duplicate key"));

        Assert.Equal(1, calls);
    }

    public async Task InitializeAsync()
    {
        await database.CreateEmptyAsync();
        await using var c = await database.OpenAsync();
        await c.ExecuteAsync("CREATE TABLE pair (id INT NOT NULL PRIMARY KEY, v INT NOT NULL) ENGINE=InnoDB");
        await c.ExecuteAsync("INSERT INTO pair VALUES (1, 0), (2, 0)");
    }

    public Task DisposeAsync() => database.DisposeAsync();
}
