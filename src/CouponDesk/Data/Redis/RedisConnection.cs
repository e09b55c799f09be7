using StackExchange.Redis;

namespace CouponDesk.Data.Redis;

/// <summary>
/// The optional Redis connection. Redis is a fast path only (sessions cache, shared limiter, locks): callers ask for
/// <see cref="TryGetDatabase"/> and fall back to the database when it returns null, so CouponDesk keeps its guarantees
/// when Redis is absent or dies mid-run.
/// </summary>
public sealed class RedisConnection(RedisOptions options, ILogger<RedisConnection> logger) : IAsyncDisposable
{
    private readonly SemaphoreSlim gate = new(1, 1);
    private ConnectionMultiplexer? multiplexer;

    public bool IsConfigured => options.IsConfigured;

    public async Task<IDatabase?> TryGetDatabase(CancellationToken cancellationToken = default)
    {
        if (!options.IsConfigured)
        {
            return null;
        }

        var current = multiplexer ?? await ConnectAsync(cancellationToken);
        return current is { IsConnected: true } ? current.GetDatabase() : null;
    }

    private async Task<ConnectionMultiplexer?> ConnectAsync(CancellationToken cancellationToken)
    {
        await gate.WaitAsync(cancellationToken);
        try
        {
            if (multiplexer is not null)
            {
                return multiplexer;
            }

            var config = ConfigurationOptions.Parse(options.Configuration!);
            config.AbortOnConnectFail = false;
            config.ConnectTimeout = 2000;
            config.SyncTimeout = 2000;
            config.AsyncTimeout = 2000;
            multiplexer = await ConnectionMultiplexer.ConnectAsync(config);
            return multiplexer;
        }
        catch (RedisException ex)
        {
            logger.LogWarning(ex, "Redis is configured but unreachable; continuing without it");
            return null;
        }
        finally
        {
            gate.Release();
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (multiplexer is not null)
        {
            await multiplexer.DisposeAsync();
        }

        gate.Dispose();
    }
}
