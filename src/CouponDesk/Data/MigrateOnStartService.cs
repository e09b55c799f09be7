namespace CouponDesk.Data;

/// <summary>Runs pending migrations before the rest of the host starts, when <c>Database:MigrateOnStart</c> is on.</summary>
public sealed class MigrateOnStartService(DatabaseMigrator migrator, DatabaseOptions options) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken) =>
        options.MigrateOnStart ? migrator.MigrateAsync(cancellationToken) : Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
