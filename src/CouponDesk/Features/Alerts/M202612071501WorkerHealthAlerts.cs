using FluentMigrator;

namespace CouponDesk.Features.Alerts;

/// <summary>
/// Worker down / restarted alerts (spec §5.9): each heartbeat row remembers when it was alerted, so the check that runs
/// every minute on whichever process holds the jobs role tells the channel once per dead or replaced process.
/// </summary>
[Migration(202612071501, "Worker health alerts")]
public sealed class M202612071501WorkerHealthAlerts : Migration
{
    public override void Up() =>
        Execute.Sql("ALTER TABLE worker_heartbeats ADD COLUMN IF NOT EXISTS health_alerted_at DATETIME(6) NULL COMMENT 'worker.down / worker.restarted sent'");

    public override void Down() =>
        Execute.Sql("ALTER TABLE worker_heartbeats DROP COLUMN IF EXISTS health_alerted_at");
}
