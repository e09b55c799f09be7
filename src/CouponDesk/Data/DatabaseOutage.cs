using System.Net.Sockets;
using MySqlConnector;

namespace CouponDesk.Data;

/// <summary>
/// Keeps the background loops quiet and patient while MariaDB is down: one warning when the first loop finds it
/// unreachable, one line when a loop reaches it again, and in between an exponential back-off per loop (capped, with
/// jitter so two dozen loops do not knock at the same instant). Without it every loop logged an error with a stack
/// trace every poll interval (issue 19). Errors that are not an outage are logged by the loop as before.
/// </summary>
public sealed class DatabaseOutage(TimeProvider time, ILogger<DatabaseOutage> logger)
{
    public static readonly TimeSpan MaxBackoff = TimeSpan.FromSeconds(30);

    private readonly Lock gate = new();
    private DateTimeOffset? downSince;

    public bool IsDown
    {
        get
        {
            lock (gate)
            {
                return downSince is not null;
            }
        }
    }

    /// <summary>Whether <paramref name="exception"/> means the database cannot be reached (as opposed to a bug or a bad row).</summary>
    public static bool IsOutage(Exception exception)
    {
        for (var e = exception; e is not null; e = e.InnerException)
        {
            switch (e)
            {
                case MySqlException { ErrorCode: MySqlErrorCode.UnableToConnectToHost or MySqlErrorCode.ServerShutdown or MySqlErrorCode.ConnectionCountError }:
                case MySqlException { Number: 2006 or 2013 }: // server gone away, connection lost during a query
                case SocketException:
                case EndOfStreamException:
                case IOException:
                    return true;
            }
        }

        return false;
    }

    /// <summary>A loop failed with an outage; the first one to notice says so.</summary>
    public void Failed(Exception exception)
    {
        lock (gate)
        {
            if (downSince is not null)
            {
                return;
            }

            downSince = time.GetUtcNow();
        }

        logger.LogWarning("Database unreachable ({Reason}); background loops back off up to {MaxSeconds} s until it answers again",
            exception.GetBaseException().Message, (int)MaxBackoff.TotalSeconds);
    }

    /// <summary>A loop reached the database; the first one after an outage says so.</summary>
    public void Succeeded()
    {
        DateTimeOffset since;
        lock (gate)
        {
            if (downSince is null)
            {
                return;
            }

            since = downSince.Value;
            downSince = null;
        }

        logger.LogWarning("Database reachable again after {Seconds:0} s; background loops resume", (time.GetUtcNow() - since).TotalSeconds);
    }

    /// <summary>The wait before a loop's next try after <paramref name="failures"/> consecutive failures: base × 2^(n-1), capped, 50-100 % jitter.</summary>
    public static TimeSpan Backoff(int failures, TimeSpan baseDelay)
    {
        var exponent = Math.Min(Math.Max(failures - 1, 0), 16);
        var delay = Math.Min(baseDelay.TotalMilliseconds * Math.Pow(2, exponent), MaxBackoff.TotalMilliseconds);
        return TimeSpan.FromMilliseconds(delay * (0.5 + (Random.Shared.NextDouble() / 2)));
    }
}
