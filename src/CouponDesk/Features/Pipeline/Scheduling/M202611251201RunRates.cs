using FluentMigrator;

namespace CouponDesk.Features.Pipeline.Scheduling;

/// <summary>
/// Measured throughput per campaign run (spec §5.1: the lead comes from the median of recent runs): when the last item
/// got its coupon and when the last item was queued, and the rates derived from them (items per minute since the start).
/// </summary>
[Migration(202611251201, "Campaign run rates")]
public sealed class M202611251201RunRates : Migration
{
    public override void Up()
    {
        Execute.Sql("ALTER TABLE campaign_runs ADD COLUMN IF NOT EXISTS all_issued_at DATETIME(6) NULL COMMENT 'UTC: no item left waiting for a coupon'");
        Execute.Sql("ALTER TABLE campaign_runs ADD COLUMN IF NOT EXISTS issued_per_minute DOUBLE NULL COMMENT 'coupons issued per minute, start to all_issued_at'");
        Execute.Sql("ALTER TABLE campaign_runs ADD COLUMN IF NOT EXISTS queued_per_minute DOUBLE NULL COMMENT 'messages queued per minute, start to all_queued_at (the end-to-end preparation rate)'");
        Execute.Sql("CREATE INDEX IF NOT EXISTS ix_campaign_runs_all_queued ON campaign_runs (all_queued_at)");
    }

    public override void Down()
    {
        Execute.Sql("DROP INDEX IF EXISTS ix_campaign_runs_all_queued ON campaign_runs");
        Execute.Sql("ALTER TABLE campaign_runs DROP COLUMN IF EXISTS queued_per_minute");
        Execute.Sql("ALTER TABLE campaign_runs DROP COLUMN IF EXISTS issued_per_minute");
        Execute.Sql("ALTER TABLE campaign_runs DROP COLUMN IF EXISTS all_issued_at");
    }
}
