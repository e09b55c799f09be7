using CouponDesk.Data;

namespace CouponDesk.Features.Settings;

/// <summary>
/// Keeps this process's options objects equal to file + database. The options classes are singletons every reader
/// already holds, so a change is copied into them property by property (only the properties of spec §3.11), and every
/// reader sees it at its next use without a restart (D-SET-2). A set of values that fails validation is not applied.
/// </summary>
public sealed class LiveSettings(SettingsStore store, SettingsBinder binder, IServiceProvider services, ILogger<LiveSettings> logger) : IDisposable
{
    private readonly SemaphoreSlim gate = new(1, 1);

    /// <summary>The database version last applied in this process (-1 before the first load).</summary>
    public long AppliedVersion { get; private set; } = -1;

    /// <summary>Applies the database values when their version moved since the last call; cheap otherwise.</summary>
    public async Task RefreshAsync(CancellationToken ct)
    {
        await gate.WaitAsync(ct);
        try
        {
            var version = await store.VersionAsync(ct);
            if (version == AppliedVersion)
            {
                return;
            }

            var snapshot = await store.LoadAsync(ct);
            foreach (var type in SettingsCatalog.OptionsTypes)
            {
                Apply(type, snapshot.Values);
            }

            AppliedVersion = snapshot.Version;
        }
        finally
        {
            gate.Release();
        }
    }

    public void Dispose() => gate.Dispose();

    private void Apply(Type optionsType, IReadOnlyDictionary<string, string> values)
    {
        var candidate = binder.Bind(optionsType, values);
        var failures = binder.Validate(optionsType, candidate);
        if (failures.Count > 0)
        {
            // Only a hand-edited row gets here (the page validates first); the values in force stay.
            logger.LogWarning("Settings of {OptionsType} in the database are invalid and were not applied: {Failures}", optionsType.Name, string.Join("; ", failures));
            return;
        }

        var live = services.GetRequiredService(optionsType);
        foreach (var definition in SettingsCatalog.All.Where(d => d.OptionsType == optionsType))
        {
            definition.PropertyInfo.SetValue(live, definition.PropertyInfo.GetValue(candidate));
        }
    }
}

/// <summary>Loads the settings before the other services start, then polls their version (all roles).</summary>
public sealed class LiveSettingsPoller(LiveSettings settings, SettingsOptions options, DatabaseOutage outage, ILogger<LiveSettingsPoller> logger) : BackgroundService
{
    public override async Task StartAsync(CancellationToken cancellationToken)
    {
        // Hosted services start in order and this one is registered right after the migrations: workers and jobs
        // registered later start with the database values already in place.
        try
        {
            await settings.RefreshAsync(cancellationToken);
        }
        catch (MySqlConnector.MySqlException ex)
        {
            // Not migrated yet (readiness answers 503 until it is) or not reachable: the file's values hold until the
            // first poll that reads the table; refusing to start would take the readiness endpoint down with it.
            logger.LogWarning("Settings not loaded at start ({Error}); the configuration file's values apply until the next poll", ex.GetType().Name);
        }

        await base.StartAsync(cancellationToken);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                // Wall-clock pacing, not business time: a test's frozen clock must not stop the polling.
                await Task.Delay(TimeSpan.FromSeconds(options.PollSeconds), stoppingToken);
                var pass = outage.PassStarted();
                await settings.RefreshAsync(stoppingToken);
                outage.Succeeded(pass);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex) when (DatabaseOutage.IsOutage(ex))
            {
                // One line for the whole outage, said by whichever loop notices first (issue 19, issue 22).
                outage.Failed(ex);
            }
            catch (Exception ex) when (ex is MySqlConnector.MySqlException or TimeoutException or InvalidOperationException)
            {
                logger.LogWarning("Settings refresh failed: {Error}; the values in force stay", ex.GetType().Name);
            }
        }
    }
}
