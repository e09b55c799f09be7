using CouponDesk.Shared.Hosting;
using Microsoft.Extensions.Http.Resilience;
using Polly;

namespace CouponDesk.Integrations.Coufun;

public static class CoufunSetup
{
    /// <summary>
    /// The COUFUN client: two HttpClients on one base URL. Safe calls get retries with exponential backoff and a
    /// per-attempt timeout; create gets the timeout only. Both have the connect timeout of spec §1.
    /// </summary>
    public static IServiceCollection AddCoufun(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddSettings<CoufunOptions>(configuration, CoufunOptions.Section);
        services.AddSingleton<CoufunCallGate>();
        services.AddSingleton<CoufunClient>();
        var options = configuration.GetSection(CoufunOptions.Section).Get<CoufunOptions>() ?? new CoufunOptions();
        var attempt = TimeSpan.FromSeconds(options.RequestTimeoutSeconds);

        void Configure(IHttpClientBuilder builder)
        {
            builder.ConfigureHttpClient((sp, client) =>
            {
                var o = sp.GetRequiredService<CoufunOptions>();
                client.BaseAddress = new Uri(o.BaseUrl);
                client.MaxResponseContentBufferSize = o.MaxResponseBytes;
                client.Timeout = Timeout.InfiniteTimeSpan; // the resilience pipeline owns the timeouts
            });
            builder.ConfigurePrimaryHttpMessageHandler(sp => new SocketsHttpHandler
            {
                ConnectTimeout = TimeSpan.FromSeconds(sp.GetRequiredService<CoufunOptions>().ConnectTimeoutSeconds),
                PooledConnectionLifetime = TimeSpan.FromMinutes(5),
                MaxConnectionsPerServer = 256,
            });
        }

        var safe = services.AddHttpClient(CoufunClient.SafeClientName);
        Configure(safe);
        safe.AddResilienceHandler("coufun-safe", pipeline =>
        {
            pipeline.AddTimeout(attempt * (options.ReadRetries + 1) + TimeSpan.FromSeconds(options.ReadRetries * 4));
            if (options.ReadRetries > 0)
            {
                pipeline.AddRetry(new HttpRetryStrategyOptions
                {
                    MaxRetryAttempts = options.ReadRetries,
                    BackoffType = DelayBackoffType.Exponential,
                    UseJitter = true,
                    Delay = TimeSpan.FromMilliseconds(500),
                });
            }

            pipeline.AddTimeout(attempt);
        });

        var create = services.AddHttpClient(CoufunClient.CreateClientName);
        Configure(create);
        create.AddResilienceHandler("coufun-create", pipeline => pipeline.AddTimeout(attempt));
        return services;
    }
}
