using MySqlConnector;

namespace CouponDesk.Data;

/// <summary>
/// Runs a transaction again when InnoDB picks it as a deadlock victim. The victim was rolled back whole, so nothing of it
/// was written and running it again is safe; the body must open its own connection and transaction each time.
/// </summary>
public static class DeadlockRetry
{
    public const int Attempts = 3;

    public static async Task<T> RunAsync<T>(Func<Task<T>> transaction, ILogger logger, string what)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return await transaction();
            }
            catch (MySqlException e) when (e.ErrorCode == MySqlErrorCode.LockDeadlock && attempt < Attempts)
            {
                logger.LogWarning("{Transaction} was chosen as a deadlock victim (attempt {Attempt}); running it again", what, attempt);
            }
        }
    }
}
