using Microsoft.Extensions.Logging.Abstractions;
using MySqlConnector;

namespace CouponDesk.Data;

/// <summary>
/// The one way a transaction survives losing a conflict: it is run again, whole. Error 1213 means InnoDB chose it as a
/// deadlock victim or — on a Galera cluster — another node's write set touching the same rows was certified first
/// (row locks are local to a node, so the loser learns at commit, or when the winner's replicated write aborts it).
/// Either way the server rolled the whole transaction back and nothing of it was written, so running the unit again
/// is safe; a unit must therefore open its own transaction each time and do nothing outside the database before its
/// commit that it would not repeat (calls, alerts and files belong after the retried part). Bounded by
/// <see cref="Attempts"/>, with a random pause that grows, so two losers do not collide again in step; every retry and
/// every give-up is counted (<see cref="DatabaseMetrics"/>).
/// </summary>
public static class DeadlockRetry
{
    public const int Attempts = 6;

    public static async Task<T> RunAsync<T>(Func<Task<T>> transaction, ILogger logger, string what)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return await transaction();
            }
            catch (MySqlException e) when (IsConflict(e))
            {
                if (attempt >= Attempts)
                {
                    DatabaseMetrics.GaveUp(what);
                    logger.LogError("{Transaction} lost a deadlock or certification conflict {Attempts} times; giving up", what, attempt);
                    throw;
                }

                DatabaseMetrics.Retried(what);
                logger.LogWarning("{Transaction} lost a deadlock or certification conflict (attempt {Attempt}); running it again", what, attempt);
                // Random and growing (up to 50, 100, 200, 400, 800 ms): two units that keep meeting on the same rows on two
                // cluster nodes drift apart. Not cancellable: short, and the unit's own token stops the next attempt.
                await Task.Delay(Random.Shared.Next(5, 25 << attempt), CancellationToken.None);
            }
        }
    }

    public static Task RunAsync(Func<Task> transaction, ILogger logger, string what) =>
        RunAsync(async () => { await transaction(); return true; }, logger, what);

    /// <summary>For classes without a logger: the retry is counted (<see cref="DatabaseMetrics"/>), not logged.</summary>
    public static Task<T> RunAsync<T>(Func<Task<T>> transaction, string what) => RunAsync(transaction, NullLogger.Instance, what);

    /// <inheritdoc cref="RunAsync{T}(Func{Task{T}}, string)"/>
    public static Task RunAsync(Func<Task> transaction, string what) => RunAsync(transaction, NullLogger.Instance, what);

    /// <summary>Error 1213: deadlock victim, or a Galera certification failure / brute-force abort (same code).</summary>
    public static bool IsConflict(MySqlException e) => e.ErrorCode == MySqlErrorCode.LockDeadlock;
}
