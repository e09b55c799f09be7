using FluentMigrator;

namespace CouponDesk.Hosting.Liveness;

/// <summary>
/// Liveness (D-OPS-11): the heartbeat rows also carry the process's stable instance name and when (and why) it was declared
/// dead, and when its leases were released. Delivery items get an index on their lease token, so the items a dead process
/// had claimed are found by the token's owner prefix without a scan.
/// </summary>
[Migration(202611252301, "Process liveness: fencing and lease release")]
public sealed class M202611252301ProcessLiveness : Migration
{
    public override void Up()
    {
        Execute.Sql("""
            ALTER TABLE worker_heartbeats
              ADD COLUMN IF NOT EXISTS instance_name VARCHAR(64) NULL AFTER instance_id,
              ADD COLUMN IF NOT EXISTS fenced_at DATETIME(6) NULL COMMENT 'declared dead: by silence, by a successor, or stopped',
              ADD COLUMN IF NOT EXISTS fence_reason VARCHAR(20) NULL,
              ADD COLUMN IF NOT EXISTS leases_released_at DATETIME(6) NULL
            """);
        Execute.Sql("CREATE INDEX IF NOT EXISTS ix_worker_heartbeats_name ON worker_heartbeats (instance_name)");
        Execute.Sql("CREATE INDEX IF NOT EXISTS ix_delivery_items_lease ON delivery_items (lease_token)");
    }

    public override void Down()
    {
        Execute.Sql("DROP INDEX IF EXISTS ix_delivery_items_lease ON delivery_items");
        Execute.Sql("DROP INDEX IF EXISTS ix_worker_heartbeats_name ON worker_heartbeats");
        Execute.Sql("ALTER TABLE worker_heartbeats DROP COLUMN IF EXISTS leases_released_at, DROP COLUMN IF EXISTS fence_reason, DROP COLUMN IF EXISTS fenced_at, DROP COLUMN IF EXISTS instance_name");
    }
}
